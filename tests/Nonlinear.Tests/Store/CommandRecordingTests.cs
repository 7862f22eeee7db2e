using System.Globalization;
using Nonlinear.Store;
using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>
/// fit, lm train and sae train record themselves in the store as train does: the configuration as run, the environment,
/// a row per stage or logged step, the final metric the command printed, status and checkpoint; `runs show` prints it.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class CommandRecordingTests
{
    private static string E3(double v) => v.ToString("0.000e+00", CultureInfo.InvariantCulture);

    [Fact]
    public void FitRecordsKanStagesAndTheMlpBaseline()
    {
        string dir = CliHarness.TempDir("rec-fit");
        try
        {
            string db = Path.Combine(dir, "runs.sqlite");
            var (code, output, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "kan:2", "--grid-schedule", "3,5", "--steps", "3",
                "--train", "64", "--test", "64", "--threads", "1", "--store", db);
            Assert.True(code == 0, err);
            Assert.Contains($"recorded as run 1 in sqlite:{db}", output);
            (code, output, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "mlp:8", "--steps", "4", "--train", "64", "--test", "64", "--threads", "1", "--store", db);
            Assert.True(code == 0, err);
            Assert.Contains("recorded as run 2", output);
            string mlpOutput = output;

            using (var s = RunStore.Open(StoreUrl.Parse(db)))
            {
                var kan = s.GetRun(1)!;
                Assert.Equal(("fit", RunStatus.Completed, "kan:2", null, 0UL), (kan.Kind, kan.Status, kan.Model, kan.Activation, kan.Seed));
                Assert.Equal(("x*y", "3,5", "3", "false", "1"), (kan.Config["formula"], kan.Config["grid_schedule"], kan.Config["steps"], kan.Config["prune"], kan.Config["threads"]));
                Assert.False(kan.Config.ContainsKey("store"));
                Assert.Equal("1", kan.Environment["threads"]);
                var stages = s.Epochs(1);
                Assert.Equal([3.0, 5.0], stages.Select(e => e.Metrics["grid"]));   // one row per grid of the schedule
                Assert.Equal(stages[^1].Metrics["test_rmse"], kan.Final["test_rmse"]);
                Assert.True(kan.Final["test_rmse"] > 0);

                var mlp = s.GetRun(2)!;
                Assert.Equal(("mlp:8", "tanh"), (mlp.Model, mlp.Activation));
                // The stored final RMSE is the printed one.
                Assert.Contains($"test RMSE {E3(mlp.Final["test_rmse"])}", mlpOutput);
                Assert.Equal(8 * 2 + 8 + 8 + 1, mlp.Final["parameters"]);
            }
            (code, output, err) = CliHarness.Run("runs", "show", "1", "--store", db);
            Assert.True(code == 0, err);
            Assert.Contains("run 1: fit, completed", output);
            Assert.Contains("test_rmse", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void AMistakeBeforeTheWorkBeginsRecordsNothing()
    {
        string dir = CliHarness.TempDir("rec-bad");
        try
        {
            string db = Path.Combine(dir, "runs.sqlite");
            var (code, _, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "kan:2", "--steps", "-1", "--store", db);
            Assert.Equal(2, code);
            Assert.Contains("--steps must be in", err);
            Assert.False(File.Exists(db), "a command line that never ran created a store");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void LmTrainRecordsEvaluationsNextToItsCheckpoint()
    {
        string dir = CliHarness.TempDir("rec-lm");
        try
        {
            string ckpt = Path.Combine(dir, "lm.safetensors");
            var (code, output, err) = CliHarness.Run("lm", "train", "--model", "gpt:1x16,heads=2,ctx=16", "--steps", "4", "--eval-every", "2", "--batch", "2",
                "--warmup", "1", "--sample", "0", "--threads", "1", "--seed", "3", "--out", ckpt);
            Assert.True(code == 0, err);
            string db = Path.Combine(dir, "nonlinear-runs.sqlite");
            Assert.Contains($"recorded as run 1 in sqlite:{db}", output);
            using (var s = RunStore.Open(StoreUrl.Parse(db)))
            {
                var run = s.GetRun(1)!;
                Assert.Equal(("lm", RunStatus.Completed, "gpt:1x16,heads=2,ctx=16", "gelu", 3UL, Path.GetFullPath(ckpt)),
                    (run.Kind, run.Status, run.Model, run.Activation, run.Seed, run.Checkpoint));
                Assert.Equal(("4", "2", "0"), (run.Config["steps"], run.Config["batch"], run.Config["start_step"]));
                var evals = s.Epochs(1);
                Assert.Equal([2, 4], evals.Select(e => e.Epoch));
                double bpc = run.Final["val_bpc"];
                Assert.Equal(evals[1].Metrics["val_bpc"], bpc);
                Assert.Contains($"val {bpc.ToString("0.000", CultureInfo.InvariantCulture)} bits per character", output);
            }

            // Resuming records the settings in force (from the checkpoint), not the defaults of the command line.
            (code, output, err) = CliHarness.Run("lm", "train", "--resume", ckpt, "--steps", "6", "--sample", "0", "--threads", "1", "--out", ckpt);
            Assert.True(code == 0, err);
            using (var s = RunStore.Open(StoreUrl.Parse(db)))
            {
                var run = s.GetRun(2)!;
                Assert.Equal(("gpt:1x16,heads=2,ctx=16", 3UL, "4", ckpt), (run.Model, run.Seed, run.Config["start_step"], run.Config["resume"]));
                Assert.Equal([6], s.Epochs(2).Select(e => e.Epoch));
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SaeTrainRecordsStepsAndTheTestEvaluation()
    {
        string dir = CliHarness.TempDir("rec-sae");
        try
        {
            string model = Path.Combine(dir, "m.safetensors");
            var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:16", "--epochs", "1", "--threads", "1", "--save", model, "--store", "none");
            Assert.True(code == 0, err);
            Assert.False(File.Exists(Path.Combine(dir, "nonlinear-runs.sqlite")), "--store none recorded a run");
            string db = Path.Combine(dir, "sae-runs.sqlite");
            string sae = Path.Combine(dir, "sae");
            (code, var output, err) = CliHarness.Run("sae", "train", model, "--layer", "1", "--k", "4", "--expansion", "2", "--steps", "10", "--batch", "256",
                "--threads", "1", "--out", sae, "--store", db);
            Assert.True(code == 0, err);
            using (var s = RunStore.Open(StoreUrl.Parse(db)))
            {
                var run = s.GetRun(1)!;
                Assert.Equal(("sae", RunStatus.Completed, "topk", "digits", Path.GetFullPath(sae)), (run.Kind, run.Status, run.Model, run.Data, run.Checkpoint));
                Assert.Equal(("4", "2", "1", "16"), (run.Config["k"], run.Config["expansion"], run.Config["layer"], run.Config["d_in"]));
                var steps = s.Epochs(1);
                Assert.Equal(10, steps[^1].Epoch);
                Assert.Equal(steps[^1].Metrics["loss"], run.Final["loss"]);
                Assert.Contains($"FVU {run.Final["test_fvu"].ToString("0.0000", CultureInfo.InvariantCulture)}", output);
                Assert.Contains($"L0 {run.Final["test_l0"].ToString("0.00", CultureInfo.InvariantCulture)}", output);
            }
            (code, output, err) = CliHarness.Run("runs", "show", "1", "--store", db);
            Assert.True(code == 0, err);
            Assert.Contains("run 1: sae, completed", output);
            Assert.Contains("test_fvu", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
