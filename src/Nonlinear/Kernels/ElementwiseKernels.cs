namespace Nonlinear.Kernels;

/// <summary>eˣ; derivative y (from the saved output).</summary>
internal readonly struct ExpKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => y;
}

/// <summary>ln x; derivative 1/x (from the saved input).</summary>
internal readonly struct LogKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Log(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1f) / x;
}

/// <summary>√x; derivative 1/(2y) (from the saved output; +∞ at x = 0 as in PyTorch).</summary>
internal readonly struct SqrtKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Sqrt(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0.5f) / y;
}

/// <summary>|x|; derivative sign(x) with sign(0) = 0 (PyTorch's abs backward).</summary>
internal readonly struct AbsKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Abs(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        (V.GreaterThan(x, V.Create(0f)) & V.Create(1f)) - (V.LessThan(x, V.Create(0f)) & V.Create(1f));
}

/// <summary>
/// min(max(x, lo), hi); derivative 1 where lo ≤ x ≤ hi (boundaries included, as torch.clamp) and 0 elsewhere,
/// also 0 for NaN. With lo &gt; hi every element becomes hi (PyTorch's rule).
/// </summary>
internal readonly struct ClampKernel(float lo, float hi) : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Min(V.Max(x, V.Create(lo)), V.Create(hi));
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThanOrEqual(x, V.Create(lo)) & V.LessThanOrEqual(x, V.Create(hi)) & V.Create(1f);
}

/// <summary>
/// xᵖ for a constant p; derivative p·xᵖ⁻¹ (0 when p = 0). Integer |p| ≤ 64 uses repeated squaring (exact sign,
/// a few roundings); p = ½ uses √x; other p use exp(p·ln|x|), NaN for x &lt; 0 unless p is an integer (torch.pow).
/// </summary>
internal readonly struct PowKernel(float p) : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => Pow(x, p);

    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        p == 0f ? V.Create(0f) : V.Create(p) * Pow(x, p - 1f);

    internal static V Pow<V>(V x, float e) where V : struct, ISimdVec<V>
    {
        if (e == 0f) return V.Create(1f);
        if (e == 0.5f) return V.Sqrt(x);
        bool integral = MathF.Floor(e) == e;
        if (integral && MathF.Abs(e) <= 64f)
        {
            int k = (int)MathF.Abs(e);
            V r = V.Create(1f), b = x;
            // Repeated squaring: ⌊log₂k⌋ + popcount(k) roundings, so ≤ ~12 half-ulps for k ≤ 64.
            while (k > 0)
            {
                if ((k & 1) != 0) r = r * b;
                k >>= 1;
                if (k > 0) b = b * b;
            }
            return e < 0 ? V.Create(1f) / r : r;
        }
        V mag = VMath.Exp(V.Create(e) * VMath.Log(V.Abs(x)));
        V negative = V.LessThan(x, V.Create(0f));
        if (!integral) return V.Select(negative, V.Create(float.NaN), mag);
        bool odd = MathF.Abs(e % 2f) == 1f;
        return odd ? V.Select(negative, -mag, mag) : mag;
    }
}

/// <summary>tanh x; derivative 1 − y² from the output.</summary>
internal readonly struct TanhKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Tanh(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Fma(-y, y, V.Create(1f));
}

/// <summary>erf x; derivative (2/√π)·e^(−x²) from the input.</summary>
internal readonly struct ErfKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Erf(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1.12837916709551257f) * VMath.Exp(-(x * x));
}
