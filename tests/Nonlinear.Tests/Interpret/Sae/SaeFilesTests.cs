using System.Diagnostics;
using System.Text.Json.Nodes;
using Nonlinear.Interpret.Sae;
using Nonlinear.IO;
using Nonlinear.Tensors;
using Xunit;
using static Nonlinear.Tests.Interpret.Sae.SaeFixtures;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>Runs only where /usr/bin/python3 can import torch (the SAELens cross-check).</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-c \"import torch\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit(60_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    public TorchFactAttribute()
    {
        if (!Available.Value) Skip = "/usr/bin/python3 cannot import torch (apt-get install python3-torch); the SAELens cross-check needs it.";
    }
}

public sealed class SaeFilesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nl-sae-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    private static SparseAutoencoder Trained(string arch, bool transcoder = false)
    {
        var cfg = Config(arch, transcoder);
        var sae = new SparseAutoencoder(cfg, Params<float>(cfg, 31)) { HookName = "1" };
        if (arch == "batchtopk") sae.BatchThreshold = 0.25;
        return sae;
    }

    private static Tensor Inputs(int n = 40) => Tensor.FromArray(Batch<float>(n, DIn, 77), n, DIn);

    [Theory]
    [InlineData("standard")]
    [InlineData("topk")]
    [InlineData("batchtopk")]
    [InlineData("jumprelu")]
    [InlineData("gated")]
    [InlineData("matryoshka")]
    public void SaveLoadGivesTheSameLatents(string arch)
    {
        var sae = Trained(arch);
        SaeFiles.Save(sae, _dir);
        var back = SaeFiles.Load(_dir);
        Assert.Equal(arch, back.Config.Architecture.Name);
        Assert.Equal("1", back.HookName);
        var x = Inputs();
        var f0 = sae.Encode(x).AsReadOnlySpan().ToArray();
        Assert.Equal(f0, back.Encode(x).AsReadOnlySpan().ToArray());
        Assert.Contains(f0, v => v != 0);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "cfg.json")))!;
        Assert.Equal(DIn, (int)cfg["d_in"]!);
        Assert.Equal(DSae, (int)cfg["d_sae"]!);
        Assert.Equal(arch switch { "batchtopk" => "jumprelu", "matryoshka" => "topk", _ => arch }, (string)cfg["architecture"]!);
        var (w, _) = SafeTensors.Load(Path.Combine(_dir, "sae_weights.safetensors"));
        Assert.Equal([DIn, DSae], w["W_enc"].Shape.ToArray());
        Assert.Equal([DSae, DIn], w["W_dec"].Shape.ToArray());
    }

    [Fact]
    public void MissingTensorAndBadKeyNameTheProblem()
    {
        SaeFiles.Save(Trained("jumprelu"), _dir);
        var wPath = Path.Combine(_dir, "sae_weights.safetensors");
        var (w, _) = SafeTensors.Load(wPath);
        w.Remove("threshold");
        SafeTensors.Save(wPath, w);
        var e = Assert.Throws<InvalidDataException>(() => SaeFiles.Load(_dir));
        Assert.Contains("'threshold' is missing", e.Message);

        SaeFiles.Save(Trained("topk"), _dir);
        var cfgPath = Path.Combine(_dir, "cfg.json");
        File.WriteAllText(cfgPath, File.ReadAllText(cfgPath).Replace("\"d_sae\": 12", "\"d_sae\": \"twelve\""));
        e = Assert.Throws<InvalidDataException>(() => SaeFiles.Load(_dir));
        Assert.Contains("key 'd_sae'", e.Message);
    }

    /// <summary>Folders of every architecture (and a transcoder) through the committed torch script: same latents and reconstructions within 1e-5.</summary>
    [TorchFact]
    public void TorchScriptReproducesLatentsAndReconstructions()
    {
        var dirs = new List<string>();
        foreach (var (arch, tc) in new[] { ("standard", false), ("topk", false), ("batchtopk", false), ("jumprelu", false), ("gated", false), ("matryoshka", false), ("standard", true) })
        {
            var sae = Trained(arch, tc);
            string dir = Path.Combine(_dir, arch + (tc ? "-transcoder" : ""));
            SaeFiles.Save(sae, dir);
            var x = Inputs();
            SafeTensors.Save(Path.Combine(dir, "check_inputs.safetensors"), new Dictionary<string, Tensor>
            {
                ["x"] = x, ["latents"] = sae.Encode(x), ["reconstruction"] = sae.Forward(x),
            });
            dirs.Add(dir);
        }
        var script = Path.Combine(RepoRoot(), "tools", "sae", "check_saelens.py");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var d in dirs) psi.ArgumentList.Add(d);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd(), error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output + error);
        Assert.Equal(dirs.Count, output.Split('\n').Count(l => l.StartsWith("ok ")));
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "tools", "sae", "check_saelens.py"))) return d.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
