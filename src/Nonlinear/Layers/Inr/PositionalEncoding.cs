using Nonlinear.Tensors;

namespace Nonlinear.Layers.Inr;

/// <summary>
/// NeRF's positional encoding of coordinates p [n, d]: γ(p) = (p, sin(2⁰πp), cos(2⁰πp), …, sin(2^(L−1)πp), cos(2^(L−1)πp)),
/// [n, d·(1 + 2L)]. Mildenhall et al., "NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis", 2020
/// (the input itself kept, as their code does). No parameters; recorded ops, so derivatives of every order pass through.
/// </summary>
public sealed class PositionalEncoding : Module
{
    /// <summary>The encoding with <paramref name="frequencies"/> octaves L.</summary>
    /// <exception cref="ArgumentOutOfRangeException">L outside [1, 30] (2^30·π already aliases at float precision).</exception>
    public PositionalEncoding(int frequencies)
    {
        if (frequencies < 1 || frequencies > 30) throw new ArgumentOutOfRangeException(nameof(frequencies), frequencies, "frequencies must be in [1, 30].");
        Frequencies = frequencies;
    }

    /// <summary>L.</summary>
    public int Frequencies { get; }

    /// <summary>Output features for <paramref name="inputs"/> coordinates.</summary>
    public int OutputFeatures(int inputs) => inputs * (1 + 2 * Frequencies);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var parts = new List<Tensor>(1 + 2 * Frequencies) { x };
        for (int k = 0; k < Frequencies; k++)
        {
            var u = Ops.MulScalar(x, (float)(Math.PI * (1L << k)));
            parts.Add(Ops.Sin(u));
            parts.Add(Ops.Cos(u));
        }
        return Ops.Concat(parts, x.Rank - 1);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"frequencies={Frequencies}";
}
