namespace Nonlinear.Tests.Export;

/// <summary>
/// Per-entry tolerance of ONNX Runtime against our kernels, with the reason. The default (rtol 2e-6, atol 1e-7) is a
/// few float ulps: ORT's float exp/log/tanh/erf/sin and ours are each accurate to an ulp or two but not identical.
/// </summary>
internal static class OrtTolerances
{
    private static readonly Dictionary<string, (double Rtol, double Atol, string Reason)> Table = new()
    {
        // Below opset 20 Φ(x) = (1 + erf(x/√2))/2: 1 + erf cancels in the left tail (absolute error up to ~6e-8 in Φ, an
        // ulp of 1), then multiplied by |x| ≤ 8 on the grid. Opset ≥ 20 uses ONNX Gelu and stays within the default.
        ["phish"] = (2e-6, 6e-7, "x·Φ(x) from Erf below opset 20 loses the left tail of Φ to 1 + erf cancellation"),
    };

    public static (double Rtol, double Atol, string Reason) For(string name) =>
        Table.TryGetValue(name, out var t) ? t : (2e-6, 1e-7, "ulp-level differences of the engines' float transcendental functions");
}
