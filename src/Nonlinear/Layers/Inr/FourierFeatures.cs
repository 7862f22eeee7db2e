using Nonlinear.Tensors;

namespace Nonlinear.Layers.Inr;

/// <summary>
/// Gaussian Fourier features of coordinates v [n, d]: γ(v) = (cos(2πBv), sin(2πBv)), [n, 2m], with B [m, d] drawn once
/// from N(0, σ²) and kept as a buffer "b" (saved with the model, not trained). Tancik et al., "Fourier Features Let
/// Networks Learn High Frequency Functions in Low Dimensional Domains", 2020.
/// </summary>
public sealed class FourierFeatures : Module
{
    private readonly Tensor _b;

    /// <summary>m features of <paramref name="inputs"/> coordinates at scale σ, B drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1 or σ not finite and positive.</exception>
    public FourierFeatures(int inputs, int features, double sigma, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "inputs must be ≥ 1.");
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "features must be ≥ 1.");
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and > 0.");
        Sigma = sigma;
        Features = features;
        _b = RegisterBuffer("b", Init.Normal(Tensor.Zeros(features, inputs), rng, 0, sigma));
    }

    /// <summary>σ of B's entries.</summary>
    public double Sigma { get; }
    /// <summary>m (the output has 2m features).</summary>
    public int Features { get; }
    /// <summary>B [m, d].</summary>
    public Tensor B => _b;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var u = Ops.MulScalar(Ops.MatMul(x, Ops.Transpose(_b, 0, 1)), (float)(2 * Math.PI));
        return Ops.Concat([Ops.Cos(u), Ops.Sin(u)], 1);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => FormattableString.Invariant($"features={Features}, sigma={Sigma:R}");
}
