using Nonlinear.Data;
using Nonlinear.Interpret.Statistics;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret;

public sealed class NacTests
{
    [Fact]
    public void StatesAndScoresEqualTheAnalyticGradientOfAReluMlp()
    {
        // Sequential(Linear 3→4, ReLU, Linear 4→3): ∂KL(u‖softmax(hW₂ᵀ + b))/∂h = (p − 1/K)·W₂ per input.
        var rng = new Rng(5);
        var model = new Sequential(new Linear(3, 4, rng), new ActivationLayer("relu"), new Linear(4, 3, rng));
        int n = 40;
        var x = Enumerable.Range(0, n * 3).Select(_ => (float)rng.NextGaussian()).ToArray();
        var data = Dataset.Classification(x, Enumerable.Range(0, n).Select(i => i % 3).ToArray(), 3);
        var options = new NacOptions(Bins: 10, Alpha: 3, MinCount: 2, BatchSize: 7);
        var nac = NeuronActivationCoverage.Fit(model, data, "1", options);
        var w1 = ((Linear)model[0]).Weight.AsReadOnlySpan().ToArray(); var b1 = ((Linear)model[0]).Bias!.AsReadOnlySpan().ToArray();
        var w2 = ((Linear)model[2]).Weight.AsReadOnlySpan().ToArray(); var b2 = ((Linear)model[2]).Bias!.AsReadOnlySpan().ToArray();
        var counts = new long[4, 10];
        var states = new double[n, 4];
        for (int i = 0; i < n; i++)
        {
            var h = new double[4];
            for (int j = 0; j < 4; j++) { double s = b1[j]; for (int d = 0; d < 3; d++) s += (double)w1[j * 3 + d] * x[i * 3 + d]; h[j] = Math.Max(0, (float)s); }
            var z = new double[3];
            for (int c = 0; c < 3; c++) { z[c] = b2[c]; for (int j = 0; j < 4; j++) z[c] += w2[c * 4 + j] * h[j]; }
            double m = z.Max(), sum = z.Sum(v => Math.Exp(v - m));
            for (int j = 0; j < 4; j++)
            {
                double g = 0;
                for (int c = 0; c < 3; c++) g += (Math.Exp(z[c] - m) / sum - 1.0 / 3) * w2[c * 4 + j];
                states[i, j] = 1 / (1 + Math.Exp(-3 * h[j] * g));
                counts[j, (int)Math.Min(9, Math.Floor(states[i, j] * 10))]++;
            }
        }
        for (int j = 0; j < 4; j++) Assert.Equal(Enumerable.Range(0, 10).Select(b => counts[j, b]), nac.Counts(j).ToArray());
        var scores = nac.Score(model, data);
        for (int i = 0; i < n; i++)
        {
            double expected = Enumerable.Range(0, 4).Average(j => Math.Min(counts[j, (int)Math.Min(9, Math.Floor(states[i, j] * 10))] / 2.0, 1));
            Assert.Equal(expected, scores[i], 12);
        }
        Assert.Null(((Linear)model[0]).Weight.Grad);
        Assert.True(model.IsTraining);
    }
}
