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
        return OnnxValue.Where(u.Eq(1.0), x, OnnxValue.Where(u.Eq(0.0), -1.0, kahan));
    }

    /// <summary>ln(1 + x) with relative accuracy near 0 (Kahan: ln u · x/(u − 1), u = 1 + x).</summary>
    internal static OnnxValue Log1p(OnnxValue x)
    {
        var u = x + 1.0;
        return OnnxValue.Where(u.Eq(1.0), x, u.Log() * x / (u - 1.0));
    }

    /// <summary>Φ(x) = (1 + erf(x/√2))/2, the standard normal CDF.</summary>
    internal static OnnxValue Phi(OnnxValue x) => ((x * (1 / Math.Sqrt(2))).Erf() + 1.0) * 0.5;

    /// <summary>ln(1 + eˣ): ONNX Softplus (ORT evaluates it without overflow).</summary>
    internal static OnnxValue Softplus(OnnxValue x) => x.Softplus();

    /// <summary>cond ? a : b.</summary>
    internal static OnnxValue If(OnnxValue cond, OnnxValue a, OnnxValue b) => OnnxValue.Where(cond, a, b);

    internal static float F(double v) => (float)v;
}
