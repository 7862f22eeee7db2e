using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// Snake: f(x; a) = x + sin²(a·x)/a. ∂f/∂x = 1 + sin(2ax); ∂f/∂a = x·sin(2ax)/a − sin²(ax)/a². At a = 0 the limits:
/// f = x, ∂f/∂x = 1, ∂f/∂a = x² (no ε added to a, unlike some implementations' 1/(a + 1e-9)). Period π/a; f is
/// monotonic for every a. f(±∞) = NaN (sin ∞ is undefined), NaN propagates. Liu Ziyin, Tilman Hartwig and Masahito Ueda, "Neural Networks Fail to Learn Periodic
/// Functions and How to Fix It", NeurIPS 2020.
/// </summary>
internal readonly struct SnakeKernel : ILearnableKernel
{
    /// <inheritdoc/>
    public int ParameterCount => 1;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>
    {
        V a = LK.P<V>(ref p, stride, 0);
        V s = VMath.Sin(a * x);
        return V.Select(V.Equals(a, V.Create(0f)), x, V.Fma(s, s / a, x));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>
    {
        V a = LK.P<V>(ref p, stride, 0);
        var (s, c) = VMath.SinCos(a * x);
        V s2 = V.Create(2f) * s * c;               // sin(2ax)
        V zero = V.Equals(a, V.Create(0f));
        V dA = (x * s2 - s * s / a) / a;
        LK.Add(ref acc, accStride, 0, dy * V.Select(zero, x * x, dA));
        return dy * (V.Create(1f) + s2);
    }

    /// <inheritdoc/>
    public double Reference(double x, ReadOnlySpan<double> theta)
    {
        double a = theta[0], s = Math.Sin(a * x);
        return a == 0 ? x : x + s * s / a;
    }

    /// <inheritdoc/>
    public double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta)
    {
        double a = theta[0], s = Math.Sin(a * x), s2 = Math.Sin(2 * a * x);
        dTheta[0] = a == 0 ? x * x : x * s2 / a - s * s / (a * a);
        return 1 + s2;
    }
}
