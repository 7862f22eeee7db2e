using Nonlinear.Activations;
using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>Spec parsing, ModelSpec dispatch, mixing with Linear layers, and a KAN that learns the paper's toy function.</summary>
public sealed class KanNetworkTests
{
    [Theory]
    [InlineData("kan:2,5,1", new[] { 2, 5, 1 }, "bspline", 5)]
    [InlineData(" KAN : 64 @ 10", new[] { 64 }, "bspline", 10)]
    [InlineData("kan-rbf:8", new[] { 8 }, "rbf", 5)]
    [InlineData("kan-fourier:8,8", new[] { 8, 8 }, "fourier", 5)]
    [InlineData("kan-chebyshev:", new int[0], "chebyshev", 5)]
    [InlineData("skan:3", new[] { 3 }, "bspline", 5)]
    public void ParsesSpecs(string text, int[] widths, string first, int grid)
    {
        var spec = Nonlinear.Models.ModelSpec.Parse(text);
        var kind = Assert.IsType<Nonlinear.Models.KanKind>(spec.Kind);
        var o = kind.LayerOptions(spec);
        Assert.Equal(widths, spec.Widths);
        Assert.Equal(first, o.Bases[0].Name);
        Assert.Equal(grid, o.GridSize);
        Assert.Null(spec.Activation);
    }

    [Theory]
    [InlineData("kan:2,x,1", "width 'x'")]
    [InlineData("kan:2,0", "width 0 is not in [1, 65536]")]
    [InlineData("kan:4@0", "grid size 0 is not in [1, 1000]")]
    [InlineData("kan-spline:4", "unknown model kind 'kan-spline'; did you mean")]
    public void RejectsMalformedSpecsNamingThem(string spec, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => Nonlinear.Models.ModelSpec.Parse(spec));
        Assert.Contains(fragment, ex.Message);
        Assert.Contains(spec.Split('@')[0], ex.Message);
    }

    [Fact]
    public void ModelSpecBuildsKanWithHiddenWidthsFromTheSpec()
    {
        var model = Nonlinear.Models.ModelSpec.Parse("kan:6").Build(4, 3, new Rng(1));
        var net = Assert.IsType<KanNetwork>(model);
        Assert.Equal([4, 6, 3], net.Widths);
        Assert.Contains(net.NamedParameters(), p => p.Name == "layers.1.coef");
        Assert.Contains(net.NamedBuffers(), b => b.Name == "layers.0.grid");
        Assert.Equal([5, 3], net.Forward(Tensor.Zeros(5, 4)).Shape.ToArray());
    }

    [Fact]
    public void KanClassifierLearnsDigitsThroughTheTrainer()
    {
        var (train, test) = Nonlinear.Data.DataSources.Load("digits", null);
        var std = Nonlinear.Data.Standardizer.Fit(train);
        (train, test) = (std.Transform(train), std.Transform(test));
        var model = Nonlinear.Models.ModelSpec.Parse("kan:16").Build(train.FeatureCount, train.NumClasses, new Rng(0));
        var history = new Trainer(model, new TrainOptions { Epochs = 15, BatchSize = 64, Seed = 0, LearningRate = 1e-2f }).Fit(train, test);
        // [64, 16, 10] B-spline KAN: measured 94.7 % test accuracy (CLI, same settings); 92 % leaves room for seeds only.
        Assert.True(history[^1].TestAccuracy >= 0.92, $"test accuracy {history[^1].TestAccuracy:P2}");
    }

    [Fact]
    public void MixesWithLinearLayersInSequential()
    {
        var rng = new Rng(2);
        var model = new Sequential(new Linear(5, 4, rng), new KanLayer(4, 3, KanOptions.Pykan, rng), new Linear(3, 2, rng));
        var x = Tensor.Rand(rng, [7, 5], -1f, 1f);
        model.Forward(x).Sum().Backward();
        Assert.All(model.NamedParameters(), p => Assert.True(p.Tensor.Grad is not null && p.Tensor.Grad.ToArray().Any(v => v != 0), p.Name));
    }

    /// <summary>
    /// The KAN paper's toy problem f(x, y) = exp(sin(πx) + y²) with a [2, 5, 1] B-spline KAN: Adam, full batch, 600
    /// steps at G = 5, then refinement to G = 10 and 300 more steps. Measured test RMSE 9e-3; bound 2e-2 (the std of
    /// f on [−1, 1]² is ≈ 1.8, so this is a 100× error reduction; the 1e-3 LBFGS target of the issue belongs to kan-tools).
    /// </summary>
    [Fact]
    public void LearnsTheToyFunctionAndRefinementKeepsIt()
    {
        var rng = new Rng(0);
        Tensor Data(int n, out Tensor target)
        {
            var x = Tensor.Rand(rng, [n, 2], -1f, 1f);
            var xs = x.ToArray();
            var y = new float[n];
            for (int r = 0; r < n; r++) y[r] = (float)Math.Exp(Math.Sin(Math.PI * xs[2 * r]) + xs[2 * r + 1] * xs[2 * r + 1]);
            target = Tensor.FromArray(y, n, 1);
            return x;
        }
        var xTrain = Data(1000, out var yTrain);
        var xTest = Data(1000, out var yTest);
        var net = new KanNetwork([2, 5, 1], KanOptions.Pykan with { Bias = true }, rng);
        double Rmse(KanNetwork m) { using var _ = Nonlinear.Autodiff.Autograd.NoGrad(); return Math.Sqrt(Loss.Mse(m.Forward(xTest), yTest).Item()); }
        void Train(KanNetwork m, int steps, double lr)
        {
            var opt = new Adam(m.Parameters(), lr);
            for (int s = 0; s < steps; s++)
            {
                opt.ZeroGrad();
                Loss.Mse(m.Forward(xTrain), yTrain).Backward();
                opt.Step();
            }
        }
        Train(net, 600, 2e-2);
        double coarse = Rmse(net);
        var fine = net.Refine(10, xTrain);
        Assert.True(Math.Abs(Rmse(fine) - coarse) <= 0.05 * coarse, $"refinement changed the test RMSE from {coarse} to {Rmse(fine)}");
        Train(fine, 300, 5e-3);
        double rmse = Rmse(fine);
        Assert.True(rmse <= 2e-2, $"test RMSE {rmse} (G=5: {coarse})");
    }
}
