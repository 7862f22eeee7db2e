using Nonlinear.Activations;
using Nonlinear.Export;
using Nonlinear.Layers;
using Xunit;
using Xunit.Abstractions;

namespace Nonlinear.Tests.Export;

/// <summary>
/// Every catalog entry exported alone (default parameters, and a second non-default set where it has parameters), run
/// in ONNX Runtime on <see cref="Ort.AwkwardInputs"/> and compared with our kernel's float output:
/// |ort − ours| ≤ atol + rtol·|ours| per point, and equal where ours is ±∞. Tolerances: <see cref="OrtTolerances"/>.
/// </summary>
public sealed class CatalogOrtTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => [.. ActivationCatalog.All.Select(e => e.Info.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void ExportMatchesKernelInOnnxRuntime(string name)
    {
        var entry = ActivationCatalog.Get(name);
        foreach (var activation in Settings(entry))
            foreach (int opset in new[] { OnnxExportOptions.MinOpset, OnnxExportOptions.DefaultOpset, OnnxExportOptions.MaxOpset })
                Check(activation, opset);
    }

    private void Check(Activation activation, int opset)
    {
        var xs = Ort.AwkwardInputs();
        var ours = new float[xs.Length];
        activation.Forward(xs, ours);
        var bytes = OnnxExporter.ToBytes(new ActivationLayer(activation), [1], new OnnxExportOptions { Opset = opset });
        var ort = Ort.Run(bytes, xs, [xs.Length, 1], [xs.Length, 1]);
        var (rtol, atol, _) = OrtTolerances.For(activation.Info.Name);
        double worstAbs = 0, worstRatio = 0;
        int worstAt = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double a = ort[i], b = ours[i];
            if (double.IsInfinity(b) || double.IsNaN(b))
            {
                Assert.True(a.Equals(b), $"{activation} opset {opset}: at x = {xs[i]:R} ORT gives {a:R}, ours {b:R}");
                continue;
            }
            double err = Math.Abs(a - b), ratio = err / (atol + rtol * Math.Abs(b));
            worstAbs = Math.Max(worstAbs, err);
            if (!(ratio <= worstRatio)) { worstRatio = ratio; worstAt = i; }
        }
        output.WriteLine($"{activation} opset {opset}: max |Δ| {worstAbs:G3}, worst Δ/tol {worstRatio:G3} at x = {xs[worstAt]:R} (ort {ort[worstAt]:R}, ours {ours[worstAt]:R})");
        Assert.True(worstRatio <= 1, $"{activation} opset {opset}: at x = {xs[worstAt]:R} ORT gives {ort[worstAt]:R}, ours {ours[worstAt]:R} (rtol {rtol}, atol {atol})");
    }

    /// <summary>Default parameters, plus one non-default set (each parameter moved by ×1.3, or to 0.25 from 0, kept in range).</summary>
    internal static IEnumerable<Activation> Settings(ActivationEntry entry)
    {
        yield return entry.Create();
        var ps = entry.Info.Parameters;
        if (ps.Count == 0) yield break;
        foreach (double factor in new[] { 1.3, 0.7 })
        {
            var v = ps.Select(p => Math.Clamp(double.IsInfinity(p.Default) ? 6 : p.Default == 0 ? 0.25 : p.Default * factor, p.Min, p.Max)).ToArray();
            Activation? a = null;
            try { a = entry.Create(v); }
            catch (InvalidInputException) { }
            if (a is not null) { yield return a; yield break; }
        }
        throw new InvalidOperationException($"{entry.Info.Name}: no non-default parameter set was accepted.");
    }
}
