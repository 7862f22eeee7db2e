using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// ∂S/∂u = c: the straight-through estimator (Bengio et al. 2013) passes the gradient unchanged (scaled by c, default
/// 1) whatever u is; snnTorch's surrogate.straight_through_estimator() (c = 1).
/// </summary>
public sealed class StraightThrough : SurrogateGradient
{
    /// <summary>Catalog row.</summary>
    internal static SurrogateEntry Entry { get; } = new("straight_through", 1, "c, the constant gradient; snnTorch surrogate.straight_through_estimator()", s => new StraightThrough(s), ["ste"]);

    /// <summary>A straight-through estimator with gain c.</summary>
    public StraightThrough(double slope = 1) : base(slope) { }

    /// <inheritdoc/>
    public override string Name => "straight_through";

    /// <inheritdoc/>
    public override float Derivative(float u) => new Kernel((float)Slope).Derivative(new Scalar(u)).V;

    /// <inheritdoc/>
    internal override bool TryLifBackward(LifKernel.Job job, LifKernel.Gradients gradients)
    {
        LifKernel.Backward(new Kernel((float)Slope), job, gradients);
        return true;
    }

    /// <inheritdoc/>
    public override double Reference(double u) => Slope;

    // The constant c, whatever u is.
    private readonly struct Kernel(float c) : ISurrogateKernel
    {
        // Inlined into the BPTT loop: a call per vector (the struct returned through memory) measured as a separate hot frame in perf.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Derivative<V>(V u) where V : struct, ISimdVec<V> => V.Create(c);
    }
}
