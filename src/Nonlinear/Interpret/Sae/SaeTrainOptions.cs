namespace Nonlinear.Interpret.Sae;

/// <summary>Where the decoder bias starts (SAELens <c>b_dec_init_method</c>).</summary>
public enum BDecInit
{
    /// <summary>Zeros.</summary>
    Zeros,
    /// <summary>The mean of the (normalised) training targets.</summary>
    Mean,
    /// <summary>The geometric median of the targets (Weiszfeld iterations on up to 10,000 of them), as in Bricken et al. 2023.</summary>
    GeometricMedian,
}

/// <summary>
/// How to train an SAE (defaults follow SAELens and the papers, see each property; the step count, learning rate and
/// dead window are the ones measured to meet the bar on the Fashion-MNIST MLP, see REPRODUCTIONS.md). Training
/// uses Adam with β = (0.9, 0.999) and the schedules below. `nonlinear sae train` reads its defaults from
/// <see cref="Defaults"/>, so the library and the command train the same SAE.
/// </summary>
public sealed record SaeTrainOptions
{
    /// <summary>The default options (what <c>new SaeTrainOptions()</c> gives, and the CLI's defaults).</summary>
    public static SaeTrainOptions Defaults { get; } = new();

    /// <summary>The architecture (default topk).</summary>
    public SaeArchitecture Architecture { get; init; } = TopKSae.Instance;
    /// <summary>d_sae = expansion · d_in (default 8).</summary>
    public int Expansion { get; init; } = 8;
    /// <summary>Active latents per sample for topk-like architectures (default 32).</summary>
    public int K { get; init; } = 32;
    /// <summary>λ of the sparsity penalty; null = the architecture's default (standard and gated 5 as in Anthropic's April 2024 update, jumprelu 1).</summary>
    public double? SparsityCoefficient { get; init; }
    /// <summary>Steps over which λ rises linearly from 0 (null = 5 % of the steps, Anthropic's warm-up).</summary>
    public int? SparsityWarmupSteps { get; init; }
    /// <summary>Adam learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Steps of linear learning-rate warm-up from 0 (default 0).</summary>
    public int LrWarmupSteps { get; init; }
    /// <summary>Final steps over which the learning rate decays linearly to 0 (null = the last 20 %, as in Anthropic's update).</summary>
    public int? LrDecaySteps { get; init; }
    /// <summary>Training steps (batches), default 600 (41 epochs of a 60,000-vector set at the default batch).</summary>
    public int Steps { get; init; } = 600;
    /// <summary>Samples per step (default 4096).</summary>
    public int BatchSize { get; init; } = 4096;
    /// <summary>Scale inputs so their mean norm is √d_in (SAELens <c>expected_average_only_in</c>); folded into the weights after training.</summary>
    public bool NormalizeActivations { get; init; } = true;
    /// <summary>Decoder-bias initialisation (default geometric median).</summary>
    public BDecInit BDecInit { get; init; } = BDecInit.GeometricMedian;
    /// <summary>
    /// A latent is dead (AuxK, resampling, the dead count of the log) when it has not fired on this many training inputs
    /// (default 8192 = 2 batches of 4096). Counted in inputs, not steps, so the batch size does not change what "dead"
    /// means. Gao et al. use 10M tokens on sets of billions; the evaluation calls a latent dead when it fires on none of
    /// the 10⁴ test inputs, so the window must be of that order for AuxK to train the latents that count (measured on the
    /// Fashion-MNIST MLP: 204,800 inputs left 9.4 % dead on test, 20,480 left 6.4 %, 8192 left 2.4 %; REPRODUCTIONS.md).
    /// </summary>
    public int DeadWindowInputs { get; init; } = 8192;
    /// <summary>Every this many steps, re-initialise dead latents from badly reconstructed inputs (Bricken et al. 2023); 0 = never (default).</summary>
    public int ResampleEvery { get; init; }
    /// <summary>TopK/BatchTopK: the AuxK coefficient α (default 1/32); 0 disables AuxK.</summary>
    public double AuxKCoefficient { get; init; } = 1.0 / 32;
    /// <summary>TopK/BatchTopK: AuxK's k (null = d_in / 2).</summary>
    public int? KAux { get; init; }
    /// <summary>JumpReLU: STE bandwidth ε (default 0.001).</summary>
    public double Bandwidth { get; init; } = 1e-3;
    /// <summary>Matryoshka: nested prefix widths (empty = d_sae/8, /4, /2, d_sae).</summary>
    public IReadOnlyList<int> MatryoshkaWidths { get; init; } = [];
    /// <summary>Seed of the initialisation and the batch order (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks the ranges of the options.</summary>
    /// <exception cref="InvalidInputException">An option is out of range.</exception>
    public void Validate()
    {
        if (Expansion < 1 || Expansion > 1024) throw new InvalidInputException($"expansion must be in [1, 1024]; got {Expansion}.");
        if (Steps < 1) throw new InvalidInputException($"steps must be ≥ 1; got {Steps}.");
        if (BatchSize < 1) throw new InvalidInputException($"batch size must be ≥ 1; got {BatchSize}.");
        if (!(LearningRate > 0)) throw new InvalidInputException($"learning rate must be > 0; got {LearningRate}.");
        if (LrWarmupSteps < 0 || LrDecaySteps < 0 || SparsityWarmupSteps < 0 || DeadWindowInputs < 1 || ResampleEvery < 0)
            throw new InvalidInputException("warm-up, decay, dead-window and resample step counts must be ≥ 0 (dead window ≥ 1).");
    }

    /// <summary>The SAE configuration these options give for inputs of width <paramref name="dIn"/> (and outputs of <paramref name="dOut"/> for a transcoder).</summary>
    public SaeConfig ToConfig(int dIn, int? dOut = null) => new(Architecture, dIn, checked(dIn * Expansion), dOut ?? dIn, K, ApplyBDecToInput: dOut is null)
    {
        IsTranscoder = dOut is not null,
        SparsityCoefficient = SparsityCoefficient ?? (Architecture == JumpReluSae.Instance ? 1.0 : 5.0),
        AuxKCoefficient = AuxKCoefficient,
        KAux = KAux,
        Bandwidth = Bandwidth,
        MatryoshkaWidths = MatryoshkaWidths,
    };
}
