using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

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
    public override float Derivative(float u) => new Kernel((float)Slope).Derivative(new Scalar(u)).V;

    /// <inheritdoc/>
    internal override bool TryLifBackward(LifKernel.Job job, LifKernel.Gradients gradients)
    {
        LifKernel.Backward(new Kernel((float)Slope), job, gradients);
        return true;
    }

    /// <inheritdoc/>
    public override double Reference(double u)
    {
        double e = Math.Exp(-Slope * Math.Abs(u));
        return Slope * e / ((1 + e) * (1 + e));
    }

    // e = exp(−k|u|) ≤ 1 never overflows; σ(z)σ(−z) = e/(1+e)² for either sign of z. VMath.Exp gives the same bits on
    // every tier (MathF.Exp would not match the vector lanes).
    private readonly struct Kernel(float k) : ISurrogateKernel
    {
        // Inlined into the BPTT loop: a call per vector (the struct returned through memory) measured as a separate hot frame in perf.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Derivative<V>(V u) where V : struct, ISimdVec<V>
        {
            V e = VMath.Exp(-(V.Create(k) * V.Abs(u)));
            V d = V.Create(1f) + e;
            return V.Create(k) * e / (d * d);
        }
    }
}
