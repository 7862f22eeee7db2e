namespace Nonlinear.Kernels;

/// <summary>
/// Double-precision special functions for the activations' <c>Reference</c> formulas, written independently of
/// the float kernels (different algorithms) and checked against mpmath goldens. Accurate to ~1e-14 relative.
/// </summary>
internal static class DoubleMath
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;
    private const double OneOverSqrtPi = 0.56418958354775628695;

    /// <summary>erf(x): power series with positive terms for |x| &lt; 2, 1 − erfc beyond. Odd, −0 kept.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a >= 2) return Math.CopySign(1 - Erfc(a), x);
        // erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)): every term has x's sign, so nothing cancels.
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>erfc(x) = 1 − erf(x), relatively accurate in the right tail (Laplace continued fraction for x ≥ 2).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 2) return 1 - Erf(x);
        if (x > 27.3) return 0; // below the smallest subnormal
        // erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail up.
        double f = x;
        for (int n = 400; n >= 1; n--) f = x + n * 0.5 / f;
        // e^(−x²) with x² split exactly into hi + lo, so its rounding does not cost 2x²·ε.
        double hi = x * x, lo = Math.FusedMultiplyAdd(x, x, -hi);
        return Math.Exp(-hi) * (1 - lo) * OneOverSqrtPi / f;
    }

    /// <summary>Standard normal CDF Φ(x) = ½·erfc(−x/√2).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>Standard normal density φ(x) = e^(−x²/2)/√(2π).</summary>
    public static double NormalPdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>e^x − 1 without cancellation near 0 (Kahan's trick: the rounding of e^x is divided back out).</summary>
    public static double Expm1(double x)
    {
        if (double.IsNaN(x) || x == 0) return x;
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1) return -1;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>ln(1 + x) without losing x's low bits (Kahan's trick).</summary>
    public static double Log1p(double x)
    {
        if (double.IsNaN(x) || x == 0 || double.IsPositiveInfinity(x)) return x;
        double u = 1 + x;
        if (u == 1) return x;
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>ln(1 + e^x) = max(x, 0) + log1p(e^−|x|).</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>σ(x) = 1/(1 + e^−x), stable for both signs.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
