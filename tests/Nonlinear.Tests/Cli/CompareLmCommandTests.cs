using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`nonlinear compare --task lm` end to end on the bundled text: rows are MLP kinds, the metric val bpc.</summary>
[Collection(nameof(ConsoleCollection))]
public class CompareLmCommandTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>
    /// gelu and swiglu × 2 seeds, 30 steps of a 1×32 transformer (ctx 32, batch 8). At initialisation the model is
    /// near uniform over the 328 ids (log2 328 = 8.36 bits); 30 AdamW steps bring it below 8 — a broken trainer,
    /// evaluation or table would not.
    /// </summary>
    [Fact]
    public void TwoMlpKindsTwoSeedsWriteRowsCurvesAndJson()
    {
        string dir = CliHarness.TempDir("compare-lm");
        try
        {
            var (code, stdout, err) = CliHarness.Run("compare", "--task", "lm", "--mlps", "gelu,swiglu", "--model", "gpt:1x32,ctx=32",
                "--steps", "30", "--eval-every", "15", "--seeds", "2", "--batch", "8", "--threads", "1", "--out", dir, "--force");
            Assert.True(code == 0, stdout + err);
            var lines = File.ReadAllLines(Path.Combine(dir, "compare.csv"));
            Assert.Equal("mlp,hidden,parameters,seeds,diverged,status,val_bpc_mean,val_bpc_std,final_train_loss_mean,tokens_per_s", lines[0]);
            Assert.Equal(3, lines.Length);
            var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);
            Assert.Equal("128", rows["gelu"][1]);    // 4·d
            Assert.Equal("88", rows["swiglu"][1]);   // ⌊8·32/3⌋ = 85 → 88 (multiple of 8)
            foreach (var r in rows.Values)
            {
                Assert.Equal("2", r[3]);
                Assert.Equal("ok", r[5]);
                Assert.InRange(D(r[6]), 4.0, 8.0);
                Assert.True(D(r[7]) > 0, "two seeds differ");
            }
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "compare.json")));
            var runs = json.RootElement.GetProperty("runs");
            Assert.Equal(4, runs.GetArrayLength());
            foreach (var run in runs.EnumerateArray())
                Assert.Equal([15, 30], run.GetProperty("curve").EnumerateArray().Select(p => p.GetProperty("step").GetInt32()).ToArray());
            Assert.Equal("lm", json.RootElement.GetProperty("task").GetString());
            Assert.True(CliHarness.PngSize(Path.Combine(dir, "curves.png")).Width > 0);
            Assert.Contains("| gelu |", File.ReadAllText(Path.Combine(dir, "compare.md")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ClassificationOptionsAreRefusedUnderTheLmTask()
    {
        var (code, _, err) = CliHarness.Run("compare", "--task", "lm", "--epochs", "3", "--out", CliHarness.TempDir("compare-lm-refuse"), "--force");
        Assert.Equal(2, code);
        Assert.Contains("--epochs does not apply to --task lm", err);
        (code, _, err) = CliHarness.Run("compare", "--mlps", "gelu", "--out", CliHarness.TempDir("compare-lm-refuse"), "--force");
        Assert.Equal(2, code);
        Assert.Contains("--mlps applies only to --task lm", err);
    }
}
