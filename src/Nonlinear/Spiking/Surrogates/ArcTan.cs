using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// ∂S/∂u = (α/2) / (1 + (π α u / 2)²), the derivative of the shifted arc-tangent 1/π·atan(π α u / 2) + 1/2
/// (Fang et al. 2021); snnTorch's surrogate.atan(alpha=2). Unit area; peak α/2 at u = 0.
/// </summary>
public sealed class ArcTan : SurrogateGradient
{
    /// <summary>Catalog row.</summary>
    internal static SurrogateEntry Entry { get; } = new("arctan", 2, "α in (α/2)/(1+(παu/2)²); snnTorch surrogate.atan(alpha=2)", s => new ArcTan(s), ["atan"]);

    /// <summary>An arc-tangent surrogate with slope α.</summary>
    public ArcTan(double slope = 2) : base(slope) { }

    /// <inheritdoc/>
    public override string Name => "arctan";

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
        double z = Math.PI / 2 * Slope * u;
        return Slope / 2 / (1 + z * z);
    }

    // (α/2)/(1 + z²) with z = (π/2)·α·u.
    private readonly struct Kernel(float a) : ISurrogateKernel
    {
        // Inlined into the BPTT loop: a call per vector (the struct returned through memory) measured as a separate hot frame in perf.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Derivative<V>(V u) where V : struct, ISimdVec<V>
        {
            V z = V.Create(MathF.PI / 2 * a) * u;
            return V.Create(a / 2) / (V.Create(1f) + z * z);
        }
    }
}
