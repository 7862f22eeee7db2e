using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

/// <summary>e^(x − shift): the exponentials of softmax with the row maximum subtracted (no overflow).</summary>
internal readonly struct ShiftedExpKernel(float shift) : IUnaryKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(x - V.Create(shift));
}

/// <summary>(e^(x − lse) − q)·s: cross-entropy's gradient (softmax minus the smoothed off-target mass q), scaled.</summary>
internal readonly struct SoftmaxMinusKernel(float lse, float q, float s) : IUnaryKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => (VMath.Exp(x - V.Create(lse)) - V.Create(q)) * V.Create(s);
}

/// <summary>x − shift (log-softmax's final step, shift = max + ln Σ e^(x−max)).</summary>
internal readonly struct ShiftKernel(float shift) : IUnaryKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => x - V.Create(shift);
}

/// <summary>x · s.</summary>
internal readonly struct ScaleKernel(float s) : IUnaryKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => x * V.Create(s);
}

/// <summary>Row kernels of softmax and log-softmax. Never allocate; rows may be empty.</summary>
internal static class SoftmaxRows
{
    /// <summary>
    /// y = softmax(x) = e^(x−m) / Σ e^(x−m) with m = max x. A row whose max is +∞ or NaN gives NaN (as PyTorch);
    /// a row of all −∞ gives NaN (0/0) as PyTorch does.
    /// </summary>
    // Optimised at once: at tier 0 these row loops run several times slower and are called per row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty) return;
        float m = Reduce.Max(x);
        UnaryDriver.Forward(new ShiftedExpKernel(m), x, y);
        float s = Reduce.Sum(y);
        UnaryDriver.Forward(new ScaleKernel(1f / s), y, y);
    }

    /// <summary>y = x − (m + ln Σ e^(x−m)); returns that log-sum-exp. Uses <paramref name="y"/> as scratch first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float LogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        float lse = LogSumExp(x, y);
        UnaryDriver.Forward(new ShiftKernel(lse), x, y);
        return lse;
    }

    /// <summary>m + ln Σ e^(x−m) with m = max x (−∞ for an empty row); <paramref name="scratch"/> (x's length) is overwritten.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float LogSumExp(ReadOnlySpan<float> x, Span<float> scratch)
    {
        if (x.IsEmpty) return float.NegativeInfinity;
        float m = Reduce.Max(x);
        if (float.IsInfinity(m)) return m;  // all −∞ row → −∞; a +∞ entry → +∞ (then x − lse is NaN there, as PyTorch)
        UnaryDriver.Forward(new ShiftedExpKernel(m), x, scratch);
        return m + MathF.Log(Reduce.Sum(scratch));
    }
}
