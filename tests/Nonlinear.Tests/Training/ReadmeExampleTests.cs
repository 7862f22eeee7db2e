using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Training;

public class ReadmeExampleTests
{
    /// <summary>The README's library example, verbatim (Console lines kept as assertions), so the README stays true.</summary>
    [Fact]
    public void ReadmeLibraryExampleTrains()
    {
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }).RequireGrad();
        var y = (x.MatMul(x.T) * 0.5f - 1f).Relu().Sum();   // torch: (x @ x.T * 0.5 - 1).relu().sum()
        y.Backward();                                       // x.Grad: tensor([[4., 6.], [4., 6.]])
        Assert.Equal("tensor([1., 3.], grad_fn=<SelectBackward0>)", x[.., 0].ToString());
        Assert.Equal(22f, y.Item());
        Assert.Equal("tensor([[4., 6.],\n        [4., 6.]])", x.Grad!.ToString());

        var (train, test) = DataSources.Load("digits");
        var rng = new Rng(0);
        var model = new Sequential(new Linear(64, 128, rng), new ActivationLayer("mish"), new Linear(128, 10, rng));
        Assert.StartsWith("Sequential(\n  (0): Linear(in_features=64, out_features=128, bias=True)\n", model.ToString());
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var loader = new DataLoader(train, batchSize: 64, shuffle: true, seed: 0);
        double hiddenMean = 0;
        using (model.Hook("1", (module, input, output) => { hiddenMean = output.Mean().Item(); return null; }))
            for (int epoch = 0; epoch < 10; epoch++)
                foreach (var batch in loader.Epoch(epoch))
                {
                    var logits = model.Call(batch.Features);
                    var loss = Loss.CrossEntropy(logits, batch.Labels) + 1e-4f * (logits * logits).Mean();   // a small logit penalty, by operators
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                }
        var (testLoss, accuracy) = Metrics.Evaluate(model, test);   // ≥ 0.95: tests/Nonlinear.Tests/Training/ReadmeExampleTests.cs runs this
        Assert.InRange(accuracy, 0.95, 1.0);
        Assert.InRange(testLoss, 0.0, 0.2);
        Assert.True(hiddenMean > 0, $"mish outputs of a trained layer average above 0; the hook saw {hiddenMean}");
    }
}

/// <summary>README's "More in the library" lines, verbatim, with the values they promise.</summary>
public class ReadmeLibraryTourTests
{
    [Fact]
    public void ReadmeTourLinesRun()
    {
        var elu = Nonlinear.Activations.ActivationCatalog.Parse("elu(alpha=0.5)");
        var smooth = Nonlinear.Activations.ActivationCatalog.Filter(properties: Nonlinear.Activations.ActivationProperties.Smooth).ToList();
        var fit = Nonlinear.Layers.Learnable.Rational.FitTo("gelu", -3, 3, m: 5, n: 4);
        var pau = new Nonlinear.Layers.Learnable.Rational(fit);
        var kan = (Nonlinear.Kan.KanNetwork)Nonlinear.Models.ModelSpec.Parse("kan:5").Build(inputs: 2, outputs: 1, new Rng(0));
        var lbfgs = new Nonlinear.Optim.Lbfgs(kan.Parameters());

        Assert.Equal(-0.5 * (1 - Math.Exp(-1)), elu.Reference(-1), 12);
        Assert.Contains(smooth, e => e.Info.Name == "gelu");
        Assert.DoesNotContain(smooth, e => e.Info.Name == "relu");
        Assert.True(fit.Warning.Length > 0, "a rational fit always explains its behaviour outside the range");
        var y = pau.Forward(Tensor.FromArray([1f], 1));
        Assert.Equal(0.8413, y.ToArray()[0], 2); // GELU(1) = Φ(1) = 0.8413 (fit error ≤ 0.0032 on [−3, 3])
        Assert.Equal([2, 5, 1], kan.Widths);
        Assert.Equal([1, 1], kan.Forward(Tensor.FromArray([0.5f, -0.5f], 1, 2)).Shape.ToArray());
        Assert.NotNull(lbfgs);
    }
}
