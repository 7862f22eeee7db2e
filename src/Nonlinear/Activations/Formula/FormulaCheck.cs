using System.Globalization;
using Nonlinear.Symbolic;

namespace Nonlinear.Activations.Formula;

/// <summary>
/// The check every formula activation passes when it is created: on a probe grid over [−6, 6] the formula and its
/// symbolic derivative are finite, and the derivative agrees with central finite differences in double. A failure names
/// the formula, the point and both numbers, so a formula that is undefined somewhere (log x, √x for x &lt; 0) or a wrong
/// derivative rule is refused up front instead of turning a training run into NaNs.
/// </summary>
internal static class FormulaCheck
{
    /// <summary>Probe points: 61 over [−6, 6], offset from the integers and from 0, where formulas put their kinks.</summary>
    public static IReadOnlyList<double> Grid { get; } = Enumerable.Range(0, 61).Select(k => -5.9537 + 11.9 * k / 60.0).ToArray();

    /// <summary>
    /// Agreement required: |d − FD| ≤ 1e-6·(1 + |d| + |f|/h·1e-10). The finite difference is Richardson-extrapolated from steps h
    /// and h/2 (error O(h⁴), below 1e-10 relative for the functions of the language at h ≈ 1e-3) and rounding contributes
    /// about 1e-16·|f|/h; 1e-6 leaves ample room for both while a wrong rule is off by far more.
    /// </summary>
    public const double Tolerance = 1e-6;

    /// <summary>Throws when <paramref name="f"/> or <paramref name="d"/> is not finite on the grid or they disagree.</summary>
    /// <exception cref="InvalidInputException">Names the formula, the point and the values.</exception>
    public static void Run(string name, Expr f, Expr d)
    {
        foreach (double x in Grid)
        {
            double fx = f.Evaluate([x]);
            if (!double.IsFinite(fx))
                throw new InvalidInputException($"activation formula '{name}' is {Num(fx)} at x = {Num(x)}; an activation must be finite on the whole real line (checked on [-6, 6]).", nameof(name));
            double dx = d.Evaluate([x]);
            if (!double.IsFinite(dx))
                throw new InvalidInputException($"activation formula '{name}': its derivative {ExprFormat.Text(d)} is {Num(dx)} at x = {Num(x)}; an activation must be differentiable where it is defined (checked on [-6, 6]).", nameof(name));
            // A kink closer to x than the step spoils one step size but not a hundred times smaller one.
            double h = 1e-3 * Math.Max(1, Math.Abs(x));
            double fd = Richardson(f, x, h), err = Math.Abs(fd - dx);
            if (err <= Bound(dx, fx, h)) continue;
            double fd2 = Richardson(f, x, h / 100);
            if (Math.Abs(fd2 - dx) <= Bound(dx, fx, h / 100)) continue;
            throw new InvalidInputException($"activation formula '{name}': its symbolic derivative {ExprFormat.Text(d)} is {Num(dx)} at x = {Num(x)}, "
                + $"but finite differences give {Num(fd)}; the formula is not differentiable there or a derivative rule is wrong.", nameof(name));
        }
    }

    private static double Bound(double d, double f, double h) => Tolerance * (1 + Math.Abs(d)) + 1e-14 * Math.Abs(f) / h;

    private static double Richardson(Expr f, double x, double h)
    {
        double D(double s) => (f.Evaluate([x + s]) - f.Evaluate([x - s])) / (2 * s);
        return (4 * D(h / 2) - D(h)) / 3;
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
