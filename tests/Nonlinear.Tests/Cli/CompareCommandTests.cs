using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`nonlinear compare` end to end on the bundled digits: files, numbers, divergence, errors.</summary>
[Collection(nameof(ConsoleCollection))]
public class CompareCommandTests
{
    private static Dictionary<string, string>[] ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        // The test's activation names hold no commas, so a plain split is exact here.
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToArray();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>
    /// 2 activations × 2 seeds × 3 epochs of MLP 64-256-256-10 on digits (Adam 1e-3, batch 128). Measured: relu 91.6 %,
    /// tanh ≈ 90 %; the floor 85 % is far above chance (10 %) and fails for a broken trainer, loader or table.
    /// </summary>
    [Fact]
    public void SmallComparisonWritesCsvJsonAndCurves()
    {
        string dir = CliHarness.TempDir("compare");
        try
        {
            var (code, output, err) = CliHarness.Run("compare", "--data", "digits", "--activations", "relu,tanh", "--seeds", "2",
                "--epochs", "3", "--threads", "1", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("relu seed 1: test acc", output);
            var rows = ReadCsv(Path.Combine(dir, "compare.csv"));
            Assert.Equal(["relu", "tanh"], rows.Select(r => r["activation"]).Order());
            foreach (var r in rows)
            {
                Assert.Equal("2", r["seeds"]);
                Assert.Equal("0", r["diverged"]);
                Assert.Equal("ok", r["status"]);
                Assert.True(D(r["test_acc_mean"]) >= 0.85, $"{r["activation"]}: {r["test_acc_mean"]}");
                Assert.InRange(D(r["test_acc_std"]), 0, 0.05);
                Assert.InRange(D(r["final_train_loss_mean"]), 0.01, 1.0);
                Assert.True(D(r["sec_per_epoch"]) > 0);
                Assert.InRange(D(r["dead_unit_fraction"]), 0, 0.5);
                Assert.Equal("85002", r["parameters"]);   // (64·256+256) + (256·256+256) + (256·10+10)
            }
            // Rows are ranked by mean accuracy.
            Assert.True(D(rows[0]["test_acc_mean"]) >= D(rows[1]["test_acc_mean"]));

            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "compare.json")));
            var root = json.RootElement;
            Assert.Equal("digits", root.GetProperty("settings").GetProperty("data").GetString());
            Assert.Equal("2", root.GetProperty("settings").GetProperty("seeds").GetString());
            var runs = root.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(4, runs.Count);
            Assert.Equal([0, 1, 0, 1], runs.Select(r => r.GetProperty("seed").GetInt32()));
            Assert.All(runs, r => Assert.Equal(3, r.GetProperty("epochs").GetArrayLength()));
            foreach (var a in root.GetProperty("activations").EnumerateArray())
            {
                var curve = a.GetProperty("test_acc_curve").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(3, curve.Length);
                // The curve's last point is the mean of the seeds' final accuracies, i.e. the table's mean.
                Assert.Equal(a.GetProperty("test_acc_mean").GetDouble(), curve[^1], 12);
                string name = a.GetProperty("activation").GetString()!;
                double fromRuns = runs.Where(r => r.GetProperty("activation").GetString() == name)
                    .Average(r => r.GetProperty("epochs")[2].GetProperty("test_acc").GetDouble());
                Assert.Equal(fromRuns, curve[^1], 12);
            }
            Assert.Equal((1280, 720), CliHarness.PngSize(Path.Combine(dir, "curves.png")));
            var md = File.ReadAllLines(Path.Combine(dir, "compare.md"));
            Assert.Equal(4, md.Length);
            Assert.StartsWith("| activation | test acc (mean ± std) |", md[0]);
            string top = rows[0]["activation"];
            Assert.StartsWith($"| {top} | {100 * D(rows[0]["test_acc_mean"]):0.00} ± ", md[2]);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));

            // --from-json rebuilds the same CSV and JSON without training.
            string again = Path.Combine(dir, "again");
            var (code2, _, err2) = CliHarness.Run("compare", "--from-json", Path.Combine(dir, "compare.json"), "--out", again);
            Assert.True(code2 == 0, err2);
            Assert.Equal(File.ReadAllText(Path.Combine(dir, "compare.csv")), File.ReadAllText(Path.Combine(again, "compare.csv")));
            Assert.Equal(File.ReadAllText(Path.Combine(dir, "compare.json")), File.ReadAllText(Path.Combine(again, "compare.json")));
            File.WriteAllText(Path.Combine(dir, "other.json"), "{\"settings\": {}}");
            var (code3, _, err3) = CliHarness.Run("compare", "--from-json", Path.Combine(dir, "other.json"), "--out", Path.Combine(dir, "third"));
            Assert.Equal(2, code3);
            Assert.Contains("other.json: not a compare.json written by `nonlinear compare`", err3);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Adam with lr 1e30 overflows a ReLU MLP in the first steps: every seed must be reported as diverged, not dropped.</summary>
    [Fact]
    public void DivergingRunsAreReportedNotDropped()
    {
        string dir = CliHarness.TempDir("compare-div");
        try
        {
            var (code, output, err) = CliHarness.Run("compare", "--data", "digits", "--activations", "relu", "--seeds", "2",
                "--epochs", "2", "--lr", "1e30", "--threads", "1", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("relu seed 0: diverged in epoch 1", output);
            var row = Assert.Single(ReadCsv(Path.Combine(dir, "compare.csv")));
            Assert.Equal("2", row["diverged"]);
            Assert.Equal("diverged (2 of 2 seeds)", row["status"]);
            Assert.Equal("", row["test_acc_mean"]);
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "compare.json")));
            var a = Assert.Single(json.RootElement.GetProperty("activations").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, a.GetProperty("test_acc_mean").ValueKind);
            Assert.All(json.RootElement.GetProperty("runs").EnumerateArray(), r => Assert.True(r.GetProperty("diverged").GetBoolean()));
            CliHarness.PngSize(Path.Combine(dir, "curves.png"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData(new[] { "compare", "--seeds", "0" }, "--seeds must be in [1, 100]; got 0.")]
    [InlineData(new[] { "compare", "--activations", "relu,,gelu" }, "--activations: activation list 'relu,,gelu': empty item")]
    [InlineData(new[] { "compare", "--activations", "elu(alpha=0.5" }, "unbalanced parentheses")]
    [InlineData(new[] { "compare", "--activations", "relu,gelu_x" }, "--activations: unknown activation 'gelu_x'")]
    [InlineData(new[] { "compare", "--activations", "relu,pau(x)" }, "--activations: ")]
    [InlineData(new[] { "compare", "--activations", "relu,relu" }, "--activations: 'relu' is listed 2 times.")]
    [InlineData(new[] { "compare", "--activations", "all", "--family", "spiky" }, "--family: unknown family 'spiky'; expected one of")]
    [InlineData(new[] { "compare", "--activations", "relu", "--family", "relu" }, "--family 'relu' applies only to --activations all")]
    [InlineData(new[] { "compare", "--model", "mlp:x" }, "--model 'mlp:x'")]
    [InlineData(new[] { "compare", "--epochs", "0" }, "--epochs must be in [1, 100000]; got 0.")]
    [InlineData(new[] { "compare", "--data", "/no/such.csv" }, "data '/no/such.csv'")]
    [InlineData(new[] { "compare", "--from-json", "/no/such.json" }, "--from-json: no such file '/no/such.json'.")]
    [InlineData(new[] { "compare", "--workers", "0" }, "--workers must be in [1, 256]; got 0.")]
    [InlineData(new[] { "compare", "--optimizer", "lion" }, "--optimizer: expected adam, adamw or sgd; got 'lion'.")]
    [InlineData(new[] { "activations", "list", "--family", "spiky" }, "--family: unknown family 'spiky'; expected one of identity, relu")]
    [InlineData(new[] { "activations", "plot", "relu", "--out", "x.png", "--range", "5,1" }, "--range: expected LO,HI with finite LO < HI")]
    [InlineData(new[] { "activations", "plot", "relu", "--out", "x.svg" }, "--out 'x.svg': expected a file name ending in .png.")]
    [InlineData(new[] { "activations", "show", "elu(beta=2)" }, "elu has no parameter 'beta' (it has: alpha)")]
    public void BadArgumentsEndInOneLine(string[] args, string expected)
    {
        var (code, _, err) = CliHarness.Run(args);
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nonlinear: error: ", line);
        Assert.Contains(expected, line);
    }
}
