namespace Nonlinear.Interpret.Sae;

/// <summary>
/// What defines a sparse autoencoder (or transcoder) apart from its weights: sizes, architecture and the
/// architecture's hyper-parameters. The SAELens <c>cfg.json</c> keys are the names in the remarks.
/// </summary>
/// <param name="Architecture">The architecture (SAELens <c>architecture</c>).</param>
/// <param name="DIn">Input width (<c>d_in</c>).</param>
/// <param name="DSae">Number of latents (<c>d_sae</c>).</param>
/// <param name="DOut">Output width; equals <paramref name="DIn"/> for an SAE, the block's output width for a transcoder (<c>d_out</c>).</param>
/// <param name="K">Active latents per sample for topk/batchtopk/matryoshka (<c>activation_fn_kwargs.k</c>).</param>
/// <param name="ApplyBDecToInput">Subtract b_dec from the input before encoding (<c>apply_b_dec_to_input</c>); false for transcoders.</param>
public sealed record SaeConfig(SaeArchitecture Architecture, int DIn, int DSae, int DOut, int K = 32, bool ApplyBDecToInput = true)
{
    /// <summary>JumpReLU: the STE rectangle-kernel bandwidth ε (Rajamanoharan et al. 2024 use 0.001).</summary>
    public double Bandwidth { get; init; } = 1e-3;

    /// <summary>Sparsity coefficient: λ of the L1 (standard, gated) or of the L0 (jumprelu) penalty.</summary>
    public double SparsityCoefficient { get; init; } = 1.0;

    /// <summary>TopK: the AuxK coefficient α (Gao et al. 2024: 1/32); 0 turns AuxK off.</summary>
    public double AuxKCoefficient { get; init; } = 1.0 / 32;

    /// <summary>TopK: latents used by AuxK per sample (Gao et al. 2024 use 512 for d_in 768; default d_in / 2).</summary>
    public int? KAux { get; init; }

    /// <summary>Matryoshka: the nested prefix widths, increasing, the last one equal to <see cref="DSae"/>.</summary>
    public IReadOnlyList<int> MatryoshkaWidths { get; init; } = [];

    /// <summary>True when this is a transcoder (output differs from input).</summary>
    public bool IsTranscoder { get; init; }

    /// <summary>The AuxK width in use.</summary>
    public int KAuxOrDefault => KAux ?? Math.Max(1, DIn / 2);

    /// <summary>Checks the sizes and the architecture's own constraints.</summary>
    /// <exception cref="InvalidInputException">A size or hyper-parameter is out of range.</exception>
    public void Validate()
    {
        if (DIn < 1) throw new InvalidInputException($"d_in must be ≥ 1; got {DIn}.");
        if (DOut < 1) throw new InvalidInputException($"d_out must be ≥ 1; got {DOut}.");
        if (DSae < 1) throw new InvalidInputException($"d_sae must be ≥ 1; got {DSae}.");
        if (ApplyBDecToInput && DIn != DOut)
            throw new InvalidInputException($"apply_b_dec_to_input needs d_in = d_out; got {DIn} and {DOut}.");
        if (K < 1 || K > DSae) throw new InvalidInputException($"k must be in [1, d_sae = {DSae}]; got {K}.");
        if (!(Bandwidth > 0)) throw new InvalidInputException($"the JumpReLU bandwidth must be > 0; got {Bandwidth}.");
        if (!(SparsityCoefficient >= 0)) throw new InvalidInputException($"the sparsity coefficient must be ≥ 0; got {SparsityCoefficient}.");
        if (!(AuxKCoefficient >= 0)) throw new InvalidInputException($"the AuxK coefficient must be ≥ 0; got {AuxKCoefficient}.");
        if (KAux is { } ka && (ka < 1 || ka > DSae)) throw new InvalidInputException($"k_aux must be in [1, d_sae = {DSae}]; got {ka}.");
        Architecture.Validate(this);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Architecture.Name} d_in={DIn} d_sae={DSae}" + (IsTranscoder ? $" d_out={DOut} transcoder" : "") +
        (Architecture.UsesK ? $" k={K}" : "") + (MatryoshkaWidths.Count > 0 ? $" widths={string.Join(",", MatryoshkaWidths)}" : "");
}
