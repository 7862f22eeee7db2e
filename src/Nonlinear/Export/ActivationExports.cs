using Nonlinear.Activations;

namespace Nonlinear.Export;

/// <summary>Appends f(x) for one catalog entry with parameter values <c>p</c> (in the entry's order) and returns its output.</summary>
internal delegate OnnxValue ActivationExport(OnnxValue x, IReadOnlyList<double> p);

/// <summary>
/// The ONNX form of every catalog entry, keyed by its canonical name: a native operator where ONNX has one with our
/// definition at the target opset, otherwise the entry's formula in primitive operators, written so that it does not
/// overflow where the kernel does not (stable softplus, expm1/log1p by Kahan's trick, exp only on a clamped argument).
/// One file per family registers its entries; ExportCoverageTests fails for a catalog entry without a row, so a new
/// activation cannot be silently unexportable.
/// </summary>
internal static partial class ActivationExports
{
    private static readonly Dictionary<string, ActivationExport> Map = Build();

    /// <summary>The names that have an export (canonical catalog names).</summary>
    public static IReadOnlyCollection<string> Names => Map.Keys;

    /// <summary>The export of <paramref name="name"/>'s formula, if there is one.</summary>
    public static bool TryGet(string name, out ActivationExport export) => Map.TryGetValue(name, out export!);

    /// <summary>Appends <paramref name="activation"/> applied to <paramref name="x"/>.</summary>
    /// <exception cref="NotSupportedException">The entry has no export (the coverage test prevents this for catalog entries).</exception>
    public static OnnxValue Apply(Activation activation, OnnxValue x)
    {
        if (!Map.TryGetValue(activation.Info.Name, out var e))
            throw new NotSupportedException($"activation '{activation.Info.Name}' has no ONNX export.");
        return e(x, activation.Parameters);
    }

    private static Dictionary<string, ActivationExport> Build()
    {
        var d = new Dictionary<string, ActivationExport>(StringComparer.Ordinal);
        AddRelu(d);
        AddSigmoidal(d);
        AddExponential(d);
        AddGated(d);
        AddShrinkAndHard(d);
        AddStep(d);
        AddAlgebraic(d);
        AddPeriodicAndRadial(d);
        return d;
    }

    // Shared pieces of several formulas.

    /// <summary>eˣ − 1 with relative accuracy near 0 (Kahan: (u − 1)·x/ln u, u = eˣ); exact −1 once eˣ underflows. For x ≤ 0 arguments.</summary>
    internal static OnnxValue Expm1(OnnxValue x)
    {
        var u = x.Exp();
        var kahan = (u - 1.0) * x / u.Log();
        // Below −80 eˣ − 1 is −1 in float; the guard also keeps a subnormal u (whose log is inexact) out of the quotient.
        return OnnxValue.Where(u.Eq(1.0), x, OnnxValue.Where(x.Lt(-80), -1.0, kahan));
    }

    /// <summary>ln(1 + x) with relative accuracy near 0 (Kahan: ln u · x/(u − 1), u = 1 + x).</summary>
    internal static OnnxValue Log1p(OnnxValue x)
    {
        var u = x + 1.0;
        return OnnxValue.Where(u.Eq(1.0), x, u.Log() * x / (u - 1.0));
    }

    /// <summary>
    /// σ(x) in its stable form e/(1 + e) or 1/(1 + e) with e = e^(−|x|), from Exp and Div. Not ONNX Sigmoid: ORT's MLAS
    /// sigmoid is a fast approximation (σ(−8) = 3.35425e-4 against 3.35350e-4, 2e-4 relative; measured), and ORT fuses
    /// x·Sigmoid(αx) into its QuickGelu kernel with the same approximation, so gated entries would lose 4 digits.
    /// </summary>
    internal static OnnxValue Sigmoid(OnnxValue x)
    {
        var e = (-x.Abs()).Exp();
        var r = 1.0 / (e + 1.0);
        return If(x.Ge(0), r, e * r);
    }

    /// <summary>1/2 + atan(x)/π, for x &lt; 0 as atan(−1/x)/π (no cancellation of 1/2 against −1/2 in the left tail).</summary>
    internal static OnnxValue Cauchit(OnnxValue x) =>
        If(x.Lt(0), (-1.0 / x).Atan() * (1 / Math.PI), x.Atan() * (1 / Math.PI) + 0.5);

    /// <summary>Φ(x) = (1 + erf(x/√2))/2, the standard normal CDF.</summary>
    internal static OnnxValue Phi(OnnxValue x) => ((x * (1 / Math.Sqrt(2))).Erf() + 1.0) * 0.5;

    /// <summary>ln(1 + eˣ): ONNX Softplus (ORT evaluates it without overflow).</summary>
    internal static OnnxValue Softplus(OnnxValue x) => x.Softplus();

    /// <summary>cond ? a : b.</summary>
    internal static OnnxValue If(OnnxValue cond, OnnxValue a, OnnxValue b) => OnnxValue.Where(cond, a, b);

    internal static float F(double v) => (float)v;
}
