using System.Diagnostics;
using Nonlinear.Activations;
using Nonlinear.Export;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Export;

/// <summary>Runs only where /usr/bin/python3 can import onnx (Debian's python3-onnx; .ci/run installs it).</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (!OnnxCheckerTests.PythonHasOnnx())
            Skip = "/usr/bin/python3 cannot import onnx (apt-get install python3-onnx).";
    }
}

/// <summary>tools/onnx/check_model.py (onnx.checker, full_check) on exported files: every catalog entry in one graph, and the model kinds.</summary>
public sealed class OnnxCheckerTests
{
    internal static bool PythonHasOnnx()
    {
        if (!File.Exists("/usr/bin/python3")) return false;
        var (code, _) = Python("-c", "import onnx");
        return code == 0;
    }

    internal static (int Code, string Output) Python(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    internal static string Script()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tools", "onnx", "check_model.py"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new FileNotFoundException("tools/onnx/check_model.py not found above the test directory"), "tools", "onnx", "check_model.py");
    }

    [OnnxCheckerFact]
    public void ExportedFilesPassTheChecker()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nonlinear-onnx-check-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var files = new List<string>();
            // All 160 entries chained (default parameters), at the checker's opset (onnx 1.12 knows up to 17).
            var chain = new Sequential([.. ActivationCatalog.All.Select(e => (Module)new ActivationLayer(e.Create()))]);
            var opt17 = new OnnxExportOptions { Opset = 17 };
            files.Add(OnnxExporter.Export(chain, [5], Path.Combine(dir, "catalog.onnx"), opt17).Path);
            foreach (var (spec, act) in new[] { ("mlp:16", "gelu"), ("cnn:4", "prelu"), ("kan:5", (string?)null), ("skan[bspline,rbf,chebyshev]:4", null) })
            {
                var m = ModelSpec.Parse(spec, act).Build(16, 3, new Rng(1));
                files.Add(OnnxExporter.Export(m, [16], Path.Combine(dir, spec.Replace(':', '_').Replace(',', '_').Replace('[', '_').Replace(']', '_') + ".onnx"), opt17).Path);
            }
            var (code, output) = Python([Script(), .. files]);
            Assert.True(code == 0, output);
            Assert.Equal(files.Count, output.Split('\n').Count(l => l.Contains(": ok (opset 17")));
            // An opset-20 file is reported as beyond this checker, not as passed.
            string newer = OnnxExporter.Export(chain, [5], Path.Combine(dir, "catalog20.onnx")).Path;
            var (code20, out20) = Python(Script(), newer);
            Assert.True(code20 == 3 || out20.Contains(": ok (opset 20"), out20);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
