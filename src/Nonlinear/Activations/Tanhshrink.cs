using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x − tanh(x); f′ = tanh²(x). Equivalent to torch.nn.Tanhshrink.
/// </summary>
internal readonly struct Tanhshrink : IActivationKernel, IReferenceSecondDerivative<Tanhshrink>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Tanhshrink>(new()
    {
        Name = "tanhshrink", Aliases = ["tanh_shrink"], Family = "shrink",
        Formula = "x − tanh(x)", Derivative = "tanh²(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Notes = "Near 0, x − tanh(x) ≈ x³/3 cancels: the float result has absolute error ~ulp(x), as PyTorch's (same formula). "
              + "The double reference uses the Taylor series there.",
        PyTorch = "torch.nn.Tanhshrink",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x - VMath.Tanh(x);
        // ∞ − 1 = ∞ needs no help; ±0 keeps its sign (odd function; 0 − 0 would give +0 for −0).
        return V.Select(V.Equals(x, V.Create(0f)), x, y);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> { V t = VMath.Tanh(x); return t * t; }

    // Taylor coefficients of x − tanh x = Σ c_k x^(2k+1), k ≥ 1, from tanh′ = 1 − tanh² (radius π/2).
    private static readonly double[] Series = TanhSeries(24);

    private static double[] TanhSeries(int n)
    {
        var t = new double[n];
        t[0] = 1;
        for (int k = 1; k < n; k++)
        {
            double s = 0;
            for (int i = 0; i < k; i++) s += t[i] * t[k - 1 - i];
            t[k] = -s / (2 * k + 1);
        }
        return t;
    }

    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsInfinity(x)) return x;
        if (Math.Abs(x) >= 0.5) return x - Math.Tanh(x);
        double x2 = x * x, sum = 0;
        for (int k = Series.Length - 1; k >= 1; k--) sum = sum * x2 - Series[k];
        return sum * x2 * x;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) { double t = Math.Tanh(x); return t * t; }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 2 * SecondDerivativeMath.TanhSech2(x);
}
