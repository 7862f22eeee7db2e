namespace Nonlinear.Tests.Kernels;

/// <summary>Distance of a float result from a double reference in units in the last place of the float format.</summary>
public static class Ulp
{
    /// <summary>Spacing of float values around |r| (2⁻¹⁴⁹ in the subnormal range).</summary>
    public static double Of(double r)
    {
        double a = Math.Abs(r);
        if (a < 1.1754943508222875e-38) return Math.ScaleB(1.0, -149);
        return Math.ScaleB(1.0, Math.ILogB(a) - 23);
    }

    /// <summary>
    /// |y − r| / ulp(r). Non-finite or NaN references must be matched exactly (0 or +∞ error); a reference that rounds to
    /// ±∞ in float must be returned as that infinity.
    /// </summary>
    public static double Error(float y, double r)
    {
        if (double.IsNaN(r)) return float.IsNaN(y) ? 0 : double.PositiveInfinity;
        if (float.IsNaN(y)) return double.PositiveInfinity;
        float rf = (float)r;
        if (float.IsInfinity(rf) || float.IsInfinity(y)) return y == rf ? 0 : double.PositiveInfinity;
        return Math.Abs(y - r) / Of(r);
    }
}
