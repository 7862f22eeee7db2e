namespace Nonlinear.Symbolic;

/// <summary>
/// Double-precision special functions of the formula language: Γ, ln|Γ|, ψ (digamma), ψ′ (trigamma), Bessel J₀ and J₁,
/// normalised sinc. Checked against mpmath goldens (tools/golden/special_functions.py) to ~1e-13 relative.
/// </summary>
public static class SpecialFunctions
{
    // Lanczos coefficients for g = 7, n = 9 (Numerical Recipes 3rd ed. / Boost's lanczos13m53 is longer); relative error ~1e-15 on x ≥ ½.
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>Γ(x); ±∞ at x = 0 (sign of zero), NaN at negative integers, reflection Γ(x)Γ(1−x) = π/sin(πx) below ½.</summary>
    public static double Gamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x == 0) return 1 / x; // ±∞ as IEEE and torch
        if (x < 0 && x == Math.Floor(x)) return double.NaN;
        if (x > 171.7) return double.PositiveInfinity;
        if (x < 0.5) return Math.PI / (SinPi(x) * Gamma(1 - x));
        // Exact integers: the product, so Γ(n) = (n−1)! bit-exactly where representable.
        if (x == Math.Floor(x) && x <= 30)
        {
            double p = 1;
            for (int k = 2; k < (int)x; k++) p *= k;
            return p;
        }
        if (x > 140) return Math.Exp(LogGamma(x)); // the power overflows before the product would
        double z = x - 1, a = Lanczos[0], t = z + 7.5;
        for (int i = 1; i < 9; i++) a += Lanczos[i] / (z + i);
        return Math.Sqrt(2 * Math.PI) * Math.Pow(t, z + 0.5) * Math.Exp(-t) * a;
    }

    /// <summary>ln|Γ(x)| (C's lgamma); +∞ at 0 and the negative integers.</summary>
    public static double LogGamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return double.PositiveInfinity;
        if (x <= 0 && x == Math.Floor(x)) return double.PositiveInfinity;
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(SinPi(x))) - LogGamma(1 - x);
        if (x == 1 || x == 2) return 0;
        if (x < 15) return Math.Log(Math.Abs(Gamma(x)));
        // Stirling series: (x−½)ln x − x + ½ln 2π + Σ B₂ₖ/(2k(2k−1)x^(2k−1)); four terms reach 1e-17 for x ≥ 15.
        double r = 1 / x, r2 = r * r;
        double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))));
        return (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + series;
    }

    /// <summary>ψ(x) = Γ′(x)/Γ(x): recurrence up to x ≥ 20 (the first omitted series term is then below 1e-17), then the asymptotic series; reflection below 0; NaN at poles.</summary>
    public static double Digamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x <= 0 && x == Math.Floor(x)) return double.NaN;
        if (x < 0) return Digamma(1 - x) - Math.PI / TanPi(x);
        double acc = 0;
        while (x < 20) { acc -= 1 / x; x += 1; }
        double r2 = 1 / (x * x);
        return acc + Math.Log(x) - 0.5 / x - r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240 - r2 * (1.0 / 132)))));
    }

    /// <summary>ψ′(x) = Σ 1/(x+k)²: recurrence up to x ≥ 20 (the first omitted series term is then below 1e-17), then the asymptotic series; reflection below 0; NaN at poles.</summary>
    public static double Trigamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x <= 0 && x == Math.Floor(x)) return double.NaN;
        if (x < 0)
        {
            // ψ′(1−x) + ψ′(x) = π²/sin²(πx)
            double s = SinPi(x);
            return Math.PI * Math.PI / (s * s) - Trigamma(1 - x);
        }
        double acc = 0;
        while (x < 20) { acc += 1 / (x * x); x += 1; }
        double r = 1 / x, r2 = r * r;
        return acc + r + 0.5 * r2 + r * r2 * (1.0 / 6 - r2 * (1.0 / 30 - r2 * (1.0 / 42 - r2 * (1.0 / 30))));
    }

    /// <summary>Bessel J₀(x): power series (in decimal — 28 digits, so its cancellation costs nothing — from 8) for |x| &lt; 25, Hankel's asymptotic expansion beyond.</summary>
    public static double BesselJ0(double x) => BesselJ(0, x);

    /// <summary>Bessel J₁(x) (odd): as <see cref="BesselJ0"/>.</summary>
    public static double BesselJ1(double x) => BesselJ(1, x);

    /// <summary>Normalised sinc(x) = sin(πx)/(πx), sinc(0) = 1 (numpy's and torch.sinc's convention, not sin(x)/x).</summary>
    public static double Sinc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return 0;
        if (Math.Abs(x) < 1e-5) { double p = Math.PI * x; return 1 - p * p / 6; } // the next term p⁴/120 is below 1e-18
        return SinPi(x) / (Math.PI * x);
    }

    /// <summary>sin(πx) exact at integers and halves (Math.Sin(Math.PI·x) is 1e-16·x off there).</summary>
    internal static double SinPi(double x)
    {
        double r = Math.IEEERemainder(x, 2); // r ∈ [−1, 1]
        if (r == 0 || Math.Abs(r) == 1) return 0 * Math.Sign(x);
        if (r > 0.5) r = 1 - r; else if (r < -0.5) r = -1 - r;
        return Math.Sin(Math.PI * r);
    }

    private static double TanPi(double x)
    {
        double r = x - Math.Floor(x); // period 1
        return Math.Tan(Math.PI * r);
    }

    private static double BesselJ(int n, double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return 0;
        double sign = n == 1 && x < 0 ? -1 : 1;
        double a = Math.Abs(x);
        if (a < 25) return sign * SeriesJ(n, a);
        // Hankel: Jₙ(x) = √(2/(πx))·(P cos χ − Q sin χ), χ = x − (n/2 + ¼)π; terms shrink until k ≈ 2x, so 30 suffice at x ≥ 25.
        double mu = 4.0 * n * n, p = 0, q = 0, term = 1;
        for (int k = 0; k < 60; k++)
        {
            // term_k = Π_{j=1..k} (μ − (2j−1)²) / (j·8x)
            if (k > 0) term *= (mu - (2 * k - 1) * (2 * k - 1)) / (k * 8 * a);
            if (k % 2 == 0) p += (k / 2 % 2 == 0 ? 1 : -1) * term;
            else q += ((k - 1) / 2 % 2 == 0 ? 1 : -1) * term;
            if (Math.Abs(term) < 1e-17) break;
        }
        double chi = a - (n / 2.0 + 0.25) * Math.PI;
        return sign * Math.Sqrt(2 / (Math.PI * a)) * (p * Math.Cos(chi) - q * Math.Sin(chi));
    }

    // Σ (−1)ᵏ (x/2)^(2k+n) / (k!(k+n)!) in decimal: at x = 25 the terms reach 1e9 while the sum is ~0.1, which double
    // would lose 10 digits to; decimal's 28 digits leave ~1e-18.
    private static double SeriesJ(int n, double x)
    {
        if (x < 8)
        {
            // Below 8 the largest term is ~114·sum at worst: double keeps ~1e-14, and is 50× faster than decimal.
            double hd = x / 2, hd2 = hd * hd, t = n == 0 ? 1 : hd, s = t;
            for (int k = 1; k < 100; k++)
            {
                t *= -hd2 / (k * (k + n));
                s += t;
                if (Math.Abs(t) < 1e-18) break;
            }
            return s;
        }
        decimal h = (decimal)(x / 2), h2 = h * h;
        decimal term = n == 0 ? 1m : h, sum = term;
        for (int k = 1; k < 200; k++)
        {
            term *= -h2 / (k * (k + n));
            sum += term;
            if (Math.Abs(term) < 1e-26m) break;
        }
        return (double)sum;
    }
}
