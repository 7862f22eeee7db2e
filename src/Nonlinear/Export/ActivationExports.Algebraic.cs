namespace Nonlinear.Export;

// Polynomial, rational (square-root) and logarithmic entries, in the cancellation-free forms their kernels use.
internal static partial class ActivationExports
{
    private static void AddAlgebraic(Dictionary<string, ActivationExport> d)
    {
        d["square"] = (x, _) => x.Square();
        d["cube"] = (x, _) => x.Cube();
        d["abs"] = (x, _) => x.Abs();
        d["bifiring"] = (x, p) => If(x.Abs().Le(p[0]), x.Square() / (2 * p[0]), x.Abs() - p[0] / 2);
        d["hermite2"] = (x, _) => (x.Square() - 1.0) * (1 / Math.Sqrt(2));
        d["hermite3"] = (x, _) => (x.Cube() - x * 3.0) * (1 / Math.Sqrt(6));
        d["repu"] = (x, p) => x.Relu().Pow(p[0]);

        d["isru"] = (x, p) => x / (x.Square() * p[0] + 1.0).Sqrt();
        d["isrlu"] = (x, p) => If(x.Ge(0), x, x / (x.Square() * p[0] + 1.0).Sqrt());
        d["signrelu"] = (x, p) => If(x.Ge(0), x, x * p[0] / (x.Abs() + 1.0));
        // √(x² + 1) − 1 as x²/(√(x² + 1) + 1): no cancellation near 0.
        d["bent_identity"] = (x, _) => { var s = x.Square(); return s / ((s + 1.0).Sqrt() + 1.0) * 0.5 + x; };
        d["signed_sqrt"] = (x, p) => { var a = x.Abs(); return x.Sign() * (a / ((a + 1.0).Sqrt() + 1.0)) + x * p[0]; };
        // For x < 0 as b/(2(√(x² + b) − x)), which does not cancel.
        d["squareplus"] = (x, p) =>
        {
            var r = (x.Square() + p[0]).Sqrt();
            return If(x.Lt(0), p[0] / ((r - x) * 2.0), (x + r) * 0.5);
        };
        d["elephant"] = (x, p) => 1.0 / ((x / p[0]).Abs().Pow(p[1]) + 1.0);

        d["symlog"] = (x, _) => x.Sign() * Log1p(x.Abs());
        d["asinh"] = (x, _) => x.Builder.Node("Asinh", [x]);
    }
}
