using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Training;

public class TrainingTests
{
    private static Trainer NewTrainer(Dataset train, int epochs, string activation = "relu") =>
        new(Nonlinear.Models.ModelSpec.Parse("mlp:32", activation).Build(train.FeatureCount, train.NumClasses, new Rng(7)),
            new TrainOptions { Epochs = epochs, BatchSize = 64, Seed = 7 });

    private static float[] Weights(Trainer t) => t.Model.StateDict().Values.SelectMany(v => v.ToArray()).ToArray();

    [Fact]
    public void DigitsMlpLearns()
    {
        var (train, test) = DataSources.Load("digits", null);
        var history = NewTrainer(train, 15).Fit(train, test);
        // A 64-32-10 MLP reaches ~96% on the digits test split; 93% leaves room only for seeds, not for bugs.
        Assert.True(history[^1].TestAccuracy >= 0.93, $"test accuracy {history[^1].TestAccuracy:P2}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss / 3);
    }

    [Fact]
    public void SameSeedSameThreadsIsBitIdentical()
    {
        var (train, test) = DataSources.Load("digits", null);
        var a = NewTrainer(train, 2); a.Fit(train, test);
        var b = NewTrainer(train, 2); b.Fit(train, test);
        Assert.Equal(Weights(a), Weights(b));
    }

    [Fact]
    public void ResumeFromCheckpointMatchesUninterruptedRun()
    {
        var (train, test) = DataSources.Load("digits", null);
        var full = NewTrainer(train, 5, "gelu");
        full.Fit(train, test);

        string path = Path.Combine(Path.GetTempPath(), $"nl-resume-{Guid.NewGuid():N}.safetensors");
        try
        {
            var first = new Trainer(NewTrainer(train, 5, "gelu").Model, new TrainOptions { Epochs = 2, BatchSize = 64, Seed = 7 });
            first.Fit(train, test);
            Checkpoint.Save(path, first, new Dictionary<string, string> { ["model"] = "mlp:32" });

            var second = NewTrainer(train, 5, "gelu");              // fresh initialisation, overwritten by the checkpoint
            var (model, optim, meta) = Checkpoint.Load(path);
            Checkpoint.Restore(second, model, optim, meta, path);
            Assert.Equal(2, second.EpochsDone);
            second.Fit(train, test);
            Assert.Equal(5, second.EpochsDone);
            Assert.Equal(Weights(full), Weights(second));
        }
        finally { File.Delete(path); }
    }
}
