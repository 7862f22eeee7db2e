using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>The store as a user meets it: train and compare record runs next to their outputs; runs and sweep read them; errors are one line.</summary>
[Collection(nameof(ConsoleCollection))]
public class RunsCliTests
{
    [Fact]
    public void TrainAndCompareRecordTheirRunsAndRunsReadsThem()
    {
        string dir = CliHarness.TempDir("runs");
        try
        {
            string save = Path.Combine(dir, "m.safetensors");
            var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:16", "--activation", "tanh", "--epochs", "2", "--threads", "1", "--save", save);
            Assert.True(code == 0, err);
            string db = Path.Combine(dir, "nonlinear-runs.sqlite");
            Assert.Contains($"recorded as run 1 in sqlite:{db}", output);
            using (var s = RunStore.Open(StoreUrl.Parse(db)))
            {
                var run = s.GetRun(1)!;
                Assert.Equal(("train", RunStatus.Completed, "tanh", "mlp:16", Path.GetFullPath(save)), (run.Kind, run.Status, run.Activation, run.Model, run.Checkpoint));
                Assert.Equal(("1", "2"), (run.Config["threads"], run.Config["epochs"]));
                var epochs = s.Epochs(1);
                Assert.Equal(2, epochs.Count);
                // The stored final accuracy is the printed one (the last epoch's).
                Assert.Contains($"test acc {epochs[1].Metrics["test_accuracy"] * 100:0.00} %", output);
                Assert.Equal(epochs[1].Metrics["test_accuracy"], run.Final["test_accuracy"]);
            }
            string cmp = Path.Combine(dir, "cmp");
            (code, _, err) = CliHarness.Run("compare", "--data", "digits", "--model", "mlp:8", "--activations", "relu,gelu", "--seeds", "1", "--epochs", "1", "--threads", "1", "--out", cmp);
            Assert.True(code == 0, err);
            (code, output, err) = CliHarness.Run("runs", "list", "--store", Path.Combine(cmp, "nonlinear-runs.sqlite"), "--kind", "compare", "--activation", "gelu");
            Assert.True(code == 0, err);
            Assert.Contains("1 run(s)", output);
            Assert.Contains("gelu seed 0", output);
            string csv = Path.Combine(dir, "runs.csv");
            (code, output, err) = CliHarness.Run("runs", "export", "--store", Path.Combine(cmp, "nonlinear-runs.sqlite"), "--csv", csv);
            Assert.True(code == 0, err);
            var lines = File.ReadAllLines(csv);
            Assert.Equal(3, lines.Length);
            Assert.Contains("config.activation", lines[0]);
            Assert.Contains("final.dead_fraction", lines[0]);
            (code, output, err) = CliHarness.Run("runs", "compare", "--store", Path.Combine(cmp, "nonlinear-runs.sqlite"), "1", "2");
            Assert.True(code == 0, err);
            Assert.Contains("activation", output);
            Assert.DoesNotContain("optimizer", output);   // equal in both runs: not shown
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SweepCreateStatusAndReportInOneProcess()
    {
        string dir = CliHarness.TempDir("sweep");
        try
        {
            string db = Path.Combine(dir, "s.sqlite");
            var (code, output, err) = CliHarness.Run("sweep", "create", "--store", db, "--name", "tiny", "--activations", "relu,tanh", "--models", "mlp:8;kan:4", "--seeds", "2", "--epochs", "1");
            Assert.True(code == 0, err);
            Assert.Contains("6 trial(s)", output);   // mlp: 2 activations × 2 seeds; kan takes no activation: 2 seeds
            (code, output, err) = CliHarness.Run("sweep", "work", "--store", db, "--no-wait");
            Assert.True(code == 0, err);
            Assert.Contains("completed 6 trial(s)", output);
            (code, output, err) = CliHarness.Run("sweep", "status", "--store", db);
            Assert.True(code == 0, err);
            Assert.Matches(@"tiny\s*│\s*6\s*│\s*0\s*│\s*0\s*│\s*6\s*│\s*0", output);
            (code, output, err) = CliHarness.Run("sweep", "report", "--store", db, "--name", "tiny", "--out", Path.Combine(dir, "report"));
            Assert.True(code == 0, err);
            Assert.True(File.Exists(Path.Combine(dir, "report", "digits__mlp_8", "compare.csv")));
            Assert.True(File.Exists(Path.Combine(dir, "report", "digits__kan_4", "curves.png")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("--store: expected a SQLite file", "runs", "list")]
    [InlineData("ID: no run 7", "runs", "show", "7", "--store", "{db}")]
    [InlineData("--activations", "sweep", "create", "--store", "{db}", "--name", "x", "--activations", "nosuch")]
    [InlineData("--models", "sweep", "create", "--store", "{db}", "--name", "x", "--models", "mlp:0")]
    [InlineData("--name: no study 'nope'", "sweep", "report", "--store", "{db}", "--name", "nope", "--out", "r")]
    [InlineData("--heartbeat must be in", "sweep", "work", "--store", "{db}", "--lease", "3", "--heartbeat", "2")]
    [InlineData("--store: expected a SQLite file path or postgres", "runs", "list", "--store", "mysql://x/y")]
    [InlineData("--status: expected one of", "runs", "list", "--store", "{db}", "--status", "done")]
    public void MistakesEndInOneLine(string expected, params string[] args)
    {
        string dir = CliHarness.TempDir("runs-err");
        try
        {
            var a = args.Select(x => x.Replace("{db}", Path.Combine(dir, "s.sqlite"))).ToArray();
            var (code, _, err) = CliHarness.Run(a);
            Assert.Equal(2, code);
            Assert.Contains(expected, err);
            Assert.Single(err.Trim().Split('\n'));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
