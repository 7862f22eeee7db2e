using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Training;

public class CnnSpecTests
{
    [Fact]
    public void BuildsConvBlocksWithNamedParameters()
    {
        var model = ModelSpec.Build("cnn:4,8", 64, 10, ActivationCatalog.Parse("relu"), new Rng(0));
        // 8×8 → conv 4 → pool 4×4 → conv 8 → pool 2×2 → 32 features → linear 10.
        Assert.Equal(["1.weight", "1.bias", "4.weight", "4.bias", "8.weight", "8.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 9 + 4 + 8 * 4 * 9 + 8 + 32 * 10 + 10, model.ParameterCount);
        Assert.Equal([5, 10], model.Forward(Tensor.Zeros(5, 64)).Shape.ToArray());
    }

    [Theory]
    [InlineData("cnn", "cnn:C1,C2")]
    [InlineData("cnn:3,x", "channel count 'x' is not in [1, 4096]")]
    public void MalformedSpecsNameTheForm(string spec, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidInputException>(() => CnnSpec.Parse(spec)).Message);

    [Fact]
    public void NonSquareInputsAreRejected() =>
        Assert.Contains("65 features is not a square",
            Assert.Throws<InvalidInputException>(() => ModelSpec.Build("cnn:4", 65, 10, ActivationCatalog.Parse("relu"), new Rng(0))).Message);

    /// <summary>
    /// cnn:16,32 on the bundled digits, Adam 3e-3, batch 64, 8 epochs: measured 96.1 % (seed 0) and 96.7 % (seed 1); an MLP
    /// 64-16-10 under the same settings reaches 94.7 %. Floor 94 %: a broken convolution, pooling or backward stays far below.
    /// </summary>
    [Fact]
    public void CnnLearnsDigits()
    {
        var (train, test) = DataSources.Load("digits");
        var std = Standardizer.Fit(train);
        (train, test) = (std.Transform(train), std.Transform(test));
        var model = ModelSpec.Build("cnn:16,32", train.FeatureCount, train.NumClasses, ActivationCatalog.Parse("relu"), new Rng(0));
        Assert.IsType<Sequential>(model);
        var history = new Trainer(model, new TrainOptions { Epochs = 8, BatchSize = 64, LearningRate = 3e-3f, Seed = 0 }).Fit(train, test);
        Assert.True(history[^1].TestAccuracy >= 0.94, $"test accuracy {history[^1].TestAccuracy:P2}");
    }
}
