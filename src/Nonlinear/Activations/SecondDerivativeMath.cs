using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// Double-precision pieces that several entries' f″ share, each in a form that neither overflows nor cancels in the
/// tails (the catalog's f″ references are checked against finite differences of f′ and at ±400 and ±∞).
/// </summary>
internal static class SecondDerivativeMath
{
    /// <summary>σ(z)·σ(−z) = e/(1 + e)² with e = e^(−|z|): σ′(z), exact in both tails.</summary>
    public static double SigmoidSlope(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return e / ((1 + e) * (1 + e));
    }

    /// <summary>d²/dz² of z·σ(z): σ(z)σ(−z)·(2 − z·tanh(z/2)); 0 at ±∞ (the limit, not ∞·0).</summary>
    public static double SiluSecond(double z) =>
        double.IsInfinity(z) ? 0 : SigmoidSlope(z) * (2 - z * Math.Tanh(0.5 * z));

    /// <summary>sinc″(t) for sinc t = sin t/t: the alternating series below |t| = 1 (the closed form cancels there), else (2 sin t − 2t cos t − t² sin t)/t³ with the given sin t and cos t.</summary>
    public static double SincSecond(double t, double sinT, double cosT)
    {
        if (Math.Abs(t) < 1)
        {
            // sinc″(t) = Σ (−1)ᵏ·2k(2k − 1)·t^(2k−2)/(2k+1)!, k ≥ 1; the terms fall by t²/((2k+2)(2k+3)) relative.
            double t2 = t * t, sum = 0, power = 1, fact = 6; // fact = (2k+1)!
            for (int k = 1; k < 12; k++)
            {
                double term = 2.0 * k * (2 * k - 1) * power / fact;
                sum += (k % 2 == 1) ? -term : term;
                power *= t2;
                fact *= (2.0 * k + 2) * (2.0 * k + 3);
            }
            return sum;
        }
        return (2 * sinT - 2 * t * cosT - t * t * sinT) / (t * t * t);
    }

    /// <summary>sinc″(t) for sinc t = sin t/t (0 at ±∞).</summary>
    public static double SincSecond(double t) => double.IsInfinity(t) ? 0 : SincSecond(t, Math.Sin(t), Math.Cos(t));

    /// <summary>tanh(u)·sech²(u), the shared factor of tanh″ = −2·tanh·sech².</summary>
    public static double TanhSech2(double u) => Math.Tanh(u) * SmoothMath.Sech2(u);

    /// <summary>2/√π, the factor of erf′.</summary>
    public const double TwoOverSqrtPi = 1.1283791670955126;
}
