using Nonlinear.Models;
using System.Text.Json;
using Nonlinear.Cli;
using Nonlinear.Data;
using Nonlinear.IO;
using Nonlinear.Tensors;
using Nonlinear.Tests.Training;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>
/// Error plumbing (only user mistakes are one-line exit-2 errors; a bug keeps its trace and exits 70), outputs checked
/// before any training, plain PyTorch weights through --init/--weights, and output hygiene.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class CliReliabilityTests
{
    private static string OneLineError(params string[] args)
    {
        var (code, output, err) = CliHarness.Run(args);
        Assert.True(code == 2, $"exit {code}: {err}");
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nonlinear: error: ", line);
        // Nothing ran: every check happens before data loading and training print their first line.
        Assert.Equal("", output);
        return line;
    }

    [Fact]
    public void UnknownCommandIsOneLine()
    {
        Assert.Contains("'frobnicate'", OneLineError("frobnicate"));
    }

    [Theory]
    [InlineData(typeof(InvalidInputException), true)]
    [InlineData(typeof(InvalidDataException), true)]
    [InlineData(typeof(FileNotFoundException), true)]
    [InlineData(typeof(DirectoryNotFoundException), true)]
    [InlineData(typeof(UnauthorizedAccessException), true)]
    [InlineData(typeof(OperationCanceledException), true)]
    [InlineData(typeof(ArgumentException), false)]
    [InlineData(typeof(ArgumentOutOfRangeException), false)]
    [InlineData(typeof(ArgumentNullException), false)]
    [InlineData(typeof(NullReferenceException), false)]
    [InlineData(typeof(IndexOutOfRangeException), false)]
    [InlineData(typeof(InvalidOperationException), false)]
    [InlineData(typeof(FormatException), false)]
    public void OnlyUserMistakesAreUserErrors(Type type, bool user)
    {
        var e = (Exception)Activator.CreateInstance(type, "message")!;
        Assert.Equal(user, UserError.IsUserError(e));
    }

    /// <summary>A library bug (here a plain ArgumentException and a null dereference) keeps its trace and exits 70, not 2.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABugShowsItsStackTraceAndExits70(bool nullReference)
    {
        var broken = new System.CommandLine.Command("broken");
        Func<System.CommandLine.ParseResult, int> fail = _ =>
        {
            if (nullReference) throw new NullReferenceException("boom");
            throw new ArgumentException("index 7 is outside [0, 3).", "i");
        };
        broken.SetAction(fail);
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var err = new StringWriter();
        Console.SetOut(new StringWriter());
        Console.SetError(err);
        int code;
        try { code = CliApp.Run(["broken"], [broken]); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
        Assert.Equal(UserError.BugExitCode, code);
        Assert.Equal(70, code);
        Assert.StartsWith("nonlinear: internal error (a bug in Nonlinear", err.ToString());
        Assert.Contains(nullReference ? "System.NullReferenceException: boom" : "System.ArgumentException: index 7 is outside [0, 3).", err.ToString());
        Assert.Contains("   at ", err.ToString());
    }

    [Fact]
    public void TheBoundaryTurnsAParserRejectionIntoInvalidInputNamingTheOption()
    {
        var e = Assert.Throws<InvalidInputException>(() => UserError.AtBoundary<int>("--model", () => throw new ArgumentException("width 'x' is bad.", "spec")));
        Assert.Equal("--model: width 'x' is bad.", e.Message.Split(" (Parameter")[0]);
        Assert.IsType<ArgumentException>(e.InnerException);
        // Anything else passes through untouched, so a bug is still a bug.
        Assert.Throws<NullReferenceException>(() => UserError.AtBoundary<int>("--model", () => throw new NullReferenceException()));
    }

    [Fact]
    public void SaveIsCheckedBeforeTraining()
    {
        string dir = CliHarness.TempDir("save");
        try
        {
            string csv = Path.Combine(dir, "data.csv");
            File.WriteAllText(csv, "1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
            Assert.Contains("--save: expected a file name; got an empty one.", OneLineError("train", "--save", ""));
            Assert.Contains($"--save '{dir}' is a directory; expected a file name.", OneLineError("train", "--save", dir));
            Assert.Contains($"--save '{csv}' is the same file as --data '{csv}'", OneLineError("train", "--data", csv, "--save", csv));
            Assert.Contains("does not exist", OneLineError("train", "--save", Path.Combine(dir, "no", "x.safetensors")));
            // /proc refuses new files even to root, so this holds whoever runs the tests.
            Assert.Contains("--save '/proc/nl.safetensors': cannot create files in '/proc'", OneLineError("train", "--save", "/proc/nl.safetensors"));
            Assert.Equal(["data.csv"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void FitRefusesANonPngPlotBeforeTraining()
    {
        Assert.Contains("--plot 'edges.svg': expected a file name ending in .png. Only PNG is supported.",
            OneLineError("fit", "--formula", "x*y", "--plot", "edges.svg"));
    }

    /// <summary>Targets up to 2e38 (inside float32's range, so the reader accepts them) overflow in training: the RMSE is NaN, and that must not exit 0.</summary>
    [Fact]
    public void FitWithNonFiniteResultsFails()
    {
        string csv = Path.Combine(Path.GetTempPath(), $"nl-huge-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllLines(csv, new[] { "x,y" }.Concat(Enumerable.Range(1, 40).Select(i => $"{i}e36,{i % 3}e38")));
            var (code, _, err) = CliHarness.Run("fit", "--csv", csv, "--target", "y", "--steps", "2", "--optimizer", "adam", "--threads", "1");
            Assert.True(code == 2, err);
            string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("the fit failed: stage", line);
            Assert.Contains("(not finite); rescale the data", line);
        }
        finally { File.Delete(csv); }
    }

    [Fact]
    public void CompareRefusesANonEmptyOutWithoutForce()
    {
        string dir = CliHarness.TempDir("cmp-out");
        try
        {
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
            Assert.Contains($"--out '{dir}' is not empty; give --force", OneLineError("compare", "--activations", "relu", "--seeds", "1", "--epochs", "1", "--out", dir));
            var (code, _, err) = CliHarness.Run("compare", "--data", "digits", "--model", "mlp:8", "--activations", "relu", "--seeds", "1",
                "--epochs", "1", "--lr", "0.003", "--threads", "1", "--out", dir, "--force");
            Assert.True(code == 0, err);
            Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "compare.json")));
            // As typed, not 0.003000000026077032; and no column that picks an epoch by its test accuracy.
            Assert.Equal("0.003", json.RootElement.GetProperty("settings").GetProperty("lr").GetString());
            Assert.DoesNotContain("best", File.ReadAllText(Path.Combine(dir, "compare.csv")));
            Assert.DoesNotContain("best", File.ReadAllText(Path.Combine(dir, "compare.md")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void WarningsPrintOncePerRunNotOncePerSeed()
    {
        string dir = CliHarness.TempDir("cmp-warn");
        try
        {
            var (code, _, err) = CliHarness.Run("compare", "--data", "digits", "--model", "mlp:8", "--activations", "pau", "--seeds", "3",
                "--epochs", "1", "--threads", "1", "--out", dir);
            Assert.True(code == 0, err);
            var warnings = err.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
            Assert.Single(warnings);
            Assert.Contains("rational (5,4) fit to leaky_relu", warnings[0]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>
    /// `eval --weights` on a plain torch file: the reported loss is the loss of the torch weights (computed here through
    /// the library), which no other initialisation gives; without the key map the attribute-named file is refused.
    /// </summary>
    [Fact]
    public void EvalAndTrainAcceptPlainTorchWeights()
    {
        string seq = TorchInteropTests.Fixture("seq_mlp.safetensors"), attr = TorchInteropTests.Fixture("attr_mlp.safetensors");
        var (train, test) = DataSources.Load("digits", null);
        var std = Standardizer.Fit(train);
        var model = ModelSpec.Parse("mlp:32,32", "relu").Build(64, 10, new Rng(0));
        model.LoadStateDict(Checkpoint.LoadWeights(seq));
        var (loss, _) = Metrics.Evaluate(model, std.Transform(test));

        var (code, output, err) = CliHarness.Run("eval", "--weights", seq, "--model", "mlp:32,32", "--activation", "relu", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"test loss {loss:0.0000}", output);
        var (codeDefault, outputDefault, _) = CliHarness.Run("eval", "--weights", seq, "--model", "mlp:32,32", "--map", "9.=>8.", "--threads", "1");
        Assert.Equal(0, codeDefault);
        Assert.Contains($"test loss {loss:0.0000}", outputDefault);

        string line = Assert.Single(CliHarness.Run("eval", "--weights", attr, "--model", "mlp:32,32", "--activation", "tanh").Err
            .Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"--weights '{attr}': the weights do not fit the model: state dict does not match Sequential: missing keys [0.weight", line);
        Assert.Contains("(rename keys with --map OLD=>NEW)", line);

        (code, output, err) = CliHarness.Run("train", "--init", attr, "--map", "fc1.=>0.", "--map", "fc2.=>2.", "--map", "fc3.=>4.",
            "--model", "mlp:32,32", "--activation", "tanh", "--epochs", "1", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"initial weights from {attr}", output);
        Assert.Contains("--map renames the keys of --init weights", Assert.Single(CliHarness.Run("train", "--map", "a=>b").Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void WeightOptionsThatExcludeEachOtherAreRefused()
    {
        Assert.Contains("--init and --resume exclude each other", OneLineError("train", "--init", "a.safetensors", "--resume", "b.safetensors"));
        Assert.Contains("give exactly one of --checkpoint FILE or --weights FILE.", OneLineError("eval"));
        Assert.Contains("--model, --activation and --map go with --weights", OneLineError("eval", "--checkpoint", "a.safetensors", "--model", "mlp:8"));
        Assert.Contains("--weights needs --model", OneLineError("eval", "--weights", "a.safetensors"));
    }

    /// <summary>Adam at lr 1e30 makes the first epoch's weights NaN: such a state is not written as a checkpoint.</summary>
    [Fact]
    public void ADivergedEpochIsNotSaved()
    {
        string dir = CliHarness.TempDir("diverge");
        try
        {
            string save = Path.Combine(dir, "run.safetensors");
            var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:8", "--epochs", "2", "--lr", "1e30", "--threads", "1", "--save", save);
            Assert.True(code == 0, err);
            Assert.Contains("training diverged", output);
            Assert.Contains($"{save} was not written: the first epoch of this run diverged", output);
            Assert.False(File.Exists(save));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
