namespace Nonlinear.Spiking;

/// <summary>
/// ∂S/∂u = k·σ(ku)·σ(−ku), the derivative of σ(ku); snnTorch's surrogate.sigmoid(slope=25). Unit area; peak k/4.
/// σ(−ku) is evaluated directly rather than as 1 − σ(ku), which would cancel to 0 in the tails.
/// </summary>
public sealed class SigmoidSurrogate : SurrogateGradient
{
    /// <summary>Catalog row.</summary>
    internal static SurrogateEntry Entry { get; } = new("sigmoid", 25, "k in k·σ(ku)σ(−ku); snnTorch surrogate.sigmoid(slope=25)", s => new SigmoidSurrogate(s));

    /// <summary>A sigmoid surrogate with slope k.</summary>
    public SigmoidSurrogate(double slope = 25) : base(slope) { }

    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <inheritdoc/>
    public override float Derivative(float u)
    {
        // e = exp(−k|u|) ≤ 1 never overflows; σ(z)σ(−z) = e/(1+e)² for either sign of z.
        float e = MathF.Exp(-(float)Slope * MathF.Abs(u));
        float d = 1f + e;
        return (float)Slope * e / (d * d);
    }

    /// <inheritdoc/>
    public override double Reference(double u)
    {
        double e = Math.Exp(-Slope * Math.Abs(u));
        return Slope * e / ((1 + e) * (1 + e));
    }
}
