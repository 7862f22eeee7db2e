using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// ∂S/∂u = 1 / (1 + k|u|)², the derivative of the fast sigmoid u / (1 + k|u|) (Zenke &amp; Ganguli 2018, SuperSpike);
/// snnTorch's surrogate.fast_sigmoid(slope=25). Peak 1 at u = 0; not normalised (area 2/k), as in snnTorch.
/// </summary>
public sealed class FastSigmoid : SurrogateGradient
{
    /// <summary>Catalog row.</summary>
    internal static SurrogateEntry Entry { get; } = new("fast_sigmoid", 25, "k in 1/(1+k|u|)²; snnTorch surrogate.fast_sigmoid(slope=25)", s => new FastSigmoid(s));

    /// <summary>A fast sigmoid surrogate with slope k.</summary>
    public FastSigmoid(double slope = 25) : base(slope) { }

    /// <inheritdoc/>
    public override string Name => "fast_sigmoid";

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
        double d = 1 + Slope * Math.Abs(u);
        return 1 / (d * d);
    }

    // 1/(1 + k|u|)², the same operations on every tier.
    private readonly struct Kernel(float k) : ISurrogateKernel
    {
        // Inlined into the BPTT loop: a call per vector (the struct returned through memory) measured as a separate hot frame in perf.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Derivative<V>(V u) where V : struct, ISimdVec<V>
        {
            V d = V.Create(1f) + V.Create(k) * V.Abs(u);
            return V.Create(1f) / (d * d);
        }
    }
}
