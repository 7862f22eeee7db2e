using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Training;

public class FashionMnistAccuracyTests
{
    /// <summary>
    /// The foundation issue's end-to-end bar: MLP 784-256-256-10, ReLU, Adam lr 1e-3, batch 128, 5 epochs, seed 0.
    /// PyTorch 1.13 reaches 87.2–87.7% on this configuration on this machine. CI installs the data package.
    /// </summary>
    [Fact]
    public void MlpReachesStatedAccuracy()
    {
        var (train, test) = DataSources.Load("fashion-mnist", null);
        var model = Nonlinear.Models.ModelSpec.Parse("mlp:256,256", "relu").Build(train.FeatureCount, train.NumClasses, new Rng(0));
        var trainer = new Trainer(model, new TrainOptions { Epochs = 5, BatchSize = 128, LearningRate = 1e-3f, Seed = 0 });
        var history = trainer.Fit(train, test);
        Assert.True(history[^1].TestAccuracy >= 0.870, $"test accuracy after 5 epochs: {history[^1].TestAccuracy:P2}");
    }
}
