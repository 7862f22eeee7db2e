namespace Nonlinear.Export;

// Periodic and radial (bump) entries. The sinc-based ones shift by π as float hi + lo, as their kernels, so they stay
// accurate next to the removable singularity.
internal static partial class ActivationExports
{
    private const float PiHi = MathF.PI;
    private const double PiLo = Math.PI - PiHi;

    private static void AddPeriodicAndRadial(Dictionary<string, ActivationExport> d)
    {
        d["sine"] = (x, p) => (x * p[0]).Sin();
        d["cosine"] = (x, _) => x.Cos();
        d["snake_fixed"] = (x, p) => x + (x * p[0]).Sin().Square() / p[0];
        d["x_plus_sin"] = (x, _) => x + x.Sin();
        d["spder"] = (x, _) => x.Sin() * x.Abs().Sqrt();
        d["sinc"] = (x, _) => Sinc(x);
        // t = x − π (π as float hi + lo) and sin t = −sin x, as the kernel: both relatively accurate near x = π and x = 0.
        d["ssu"] = (x, _) => ShiftedSinc(x) * Math.PI;
        // Odd; on |x|: π²·sinc(|x| − π)/(|x| + π), regular at |x| = π.
        d["dsu"] = (x, _) => { var a = x.Abs(); return x.Sign() * ShiftedSinc(a) * (Math.PI * Math.PI) / (a + Math.PI); };
        d["expsin"] = (x, p) => (-(x * p[0]).Sin()).Exp();

        // 2/(eˣ + e⁻ˣ) = 2e/(1 + e²), e = e^(−|x|): no overflow.
        d["sech"] = (x, _) => { var e = (-x.Abs()).Exp(); return e * 2.0 / (e.Square() + 1.0); };
        d["gaussian"] = (x, p) => (x.Square() * (-1 / (2 * p[0] * p[0]))).Exp();
        d["mexican_hat"] = (x, _) => { var s = x.Square(); return (1.0 - s) * (s * -0.5).Exp(); };
        d["morlet"] = (x, _) => (x * 5.0).Cos() * (x.Square() * -0.5).Exp();
        d["laplacian"] = (x, p) => (-x.Abs() / p[0]).Exp();
        d["cauchy"] = (x, p) => (x * p[0] + p[1]) / (x.Square() + p[2] * p[2]);
        d["gabor"] = (x, p) => (x * p[0]).Cos() * (-(x * p[1]).Square()).Exp();
    }

    /// <summary>sinc(x − π) = −sin(x)/t with t = (x − π_hi) − π_lo; 1 where t = 0.</summary>
    private static OnnxValue ShiftedSinc(OnnxValue x)
    {
        var t = x - PiHi - PiLo;
        return OnnxValue.Where(t.Eq(0), 1.0, -x.Sin() / t);
    }

    /// <summary>sin t / t with sinc(0) = 1.</summary>
    private static OnnxValue Sinc(OnnxValue t) => OnnxValue.Where(t.Eq(0), 1.0, t.Sin() / t);
}
