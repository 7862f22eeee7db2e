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
    /// <summary>The README's library example, verbatim, so the README stays true.</summary>
    [Fact]
    public void ReadmeLibraryExampleTrains()
    {
        var (train, test) = DataSources.Load("digits");
        var rng = new Rng(0);
        var model = new Sequential(new Linear(64, 128, rng), new ActivationLayer("mish"), new Linear(128, 10, rng));
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var loader = new DataLoader(train, batchSize: 64, shuffle: true, seed: 0);
        for (int epoch = 0; epoch < 10; epoch++)
            foreach (var batch in loader.Epoch(epoch))
            {
                var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Labels);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
        var (testLoss, accuracy) = Metrics.Evaluate(model, test);
        Assert.InRange(accuracy, 0.95, 1.0);
        Assert.InRange(testLoss, 0.0, 0.2);
    }
}
