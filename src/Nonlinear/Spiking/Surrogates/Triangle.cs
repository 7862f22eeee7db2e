using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// ∂S/∂u = γ·max(0, 1 − γ|u|): the triangle (piecewise-linear) surrogate of Esser et al. 2016 / Bellec et al. 2018
/// with unit area and half-width 1/γ. At |u| = 1/γ it is 0 (the kink). snnTorch's Triangle uses another
/// parameterisation (a threshold-wide box of slope ±threshold); ours keeps one slope parameter like the others.
/// </summary>
public sealed class Triangle : SurrogateGradient
{
    /// <summary>Catalog row.</summary>
    internal static SurrogateEntry Entry { get; } = new("triangle", 1, "γ in γ·max(0, 1−γ|u|) (unit area, half-width 1/γ)", s => new Triangle(s));

    /// <summary>A triangle surrogate with slope γ.</summary>
    public Triangle(double slope = 1) : base(slope) { }

    /// <inheritdoc/>
    public override string Name => "triangle";

    /// <inheritdoc/>
    public override float Derivative(float u) => new Kernel((float)Slope).Derivative(new Scalar(u)).V;

    /// <inheritdoc/>
    internal override bool TryLifBackward(LifKernel.Job job, LifKernel.Gradients gradients)
    {
        LifKernel.Backward(new Kernel((float)Slope), job, gradients);
        return true;
    }

    /// <inheritdoc/>
    public override double Reference(double u) => Slope * Math.Max(0, 1 - Slope * Math.Abs(u));

    // γ·max(0, 1 − γ|u|).
    private readonly struct Kernel(float g) : ISurrogateKernel
    {
        // Inlined into the BPTT loop: a call per vector (the struct returned through memory) measured as a separate hot frame in perf.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Derivative<V>(V u) where V : struct, ISimdVec<V> =>
            V.Create(g) * V.Max(V.Create(0f), V.Create(1f) - V.Create(g) * V.Abs(u));
    }
}
