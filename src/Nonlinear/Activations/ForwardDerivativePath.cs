using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// How an activation computes y and f′ in one pass. Only kernels that share work between the two (<see cref="IFusedDerivativeKernel"/>)
/// get a fused path; an entry declares it with one argument of its catalog row (<see cref="ForwardDerivativePath.Fused{K}"/>), because the
/// generic <see cref="Activation{K}"/> cannot test for the interface and call through it without boxing the kernel.
/// </summary>
internal abstract class ForwardDerivativePath<K> where K : struct, IActivationKernel
{
    /// <summary>y = f(x) and d = f′(x) over equal-length spans (y may be x's memory; d must be separate).</summary>
    public abstract void Run(in K kernel, ReadOnlySpan<float> x, Span<float> y, Span<float> d, SimdTier tier);
}

/// <summary>Factory of the fused path.</summary>
internal static class ForwardDerivativePath
{
    /// <summary>The one-pass path of a kernel whose forward and derivative share their expensive part.</summary>
    public static ForwardDerivativePath<K> Fused<K>() where K : struct, IActivationKernel, IFusedDerivativeKernel => new FusedPath<K>();

    private sealed class FusedPath<K> : ForwardDerivativePath<K> where K : struct, IActivationKernel, IFusedDerivativeKernel
    {
        public override void Run(in K kernel, ReadOnlySpan<float> x, Span<float> y, Span<float> d, SimdTier tier) =>
            UnaryDriver.ForwardWithDerivative(kernel, x, y, d, tier);
    }
}
