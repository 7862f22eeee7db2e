using Nonlinear.Cli.Commands;
using Nonlinear.Interpret.Sae;
using Xunit;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>`sae train` adds nothing to the library's defaults: a bare command line binds to exactly <c>new SaeTrainOptions()</c>, and each flag changes only its own field.</summary>
public sealed class SaeCliDefaultsTests
{
    [Fact]
    public void ABareCommandLineTrainsWithTheLibraryDefaults()
    {
        var parsed = SaeCommand.ParseTrainOptions("ck.safetensors");
        Assert.Equal(new SaeTrainOptions(), parsed);
        Assert.Equal(SaeTrainOptions.Defaults, parsed);
        // The record's equality covers every field; spell out the ones the acceptance run depends on so a change is visible here.
        Assert.Equal(("topk", 32, 8, 600, 4096, 1e-3, 8192), (parsed.Architecture.Name, parsed.K, parsed.Expansion, parsed.Steps, parsed.BatchSize, parsed.LearningRate, parsed.DeadWindowInputs));
        Assert.Equal((1.0 / 32, (int?)null, true, BDecInit.GeometricMedian), (parsed.AuxKCoefficient, parsed.KAux, parsed.NormalizeActivations, parsed.BDecInit));
    }

    [Fact]
    public void EachFlagSetsItsOwnField()
    {
        var parsed = SaeCommand.ParseTrainOptions("ck", "--arch", "jumprelu", "--k", "16", "--expansion", "4", "--steps", "10", "--batch", "64",
            "--lr", "0.002", "--l1", "0.5", "--aux-k-coef", "0.1", "--k-aux", "64", "--dead-window", "999", "--resample-every", "7",
            "--b-dec-init", "mean", "--no-normalize", "--seed", "3");
        var expected = new SaeTrainOptions
        {
            Architecture = SaeArchitecture.Parse("jumprelu"), K = 16, Expansion = 4, Steps = 10, BatchSize = 64, LearningRate = 0.002,
            SparsityCoefficient = 0.5, AuxKCoefficient = 0.1, KAux = 64, DeadWindowInputs = 999, ResampleEvery = 7,
            BDecInit = BDecInit.Mean, NormalizeActivations = false, Seed = 3,
        };
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void AnUnknownDecoderBiasInitIsAUserError()
    {
        var ex = Assert.Throws<InvalidInputException>(() => SaeCommand.ParseTrainOptions("ck", "--b-dec-init", "median"));
        Assert.Contains("'median'", ex.Message);
    }
}
