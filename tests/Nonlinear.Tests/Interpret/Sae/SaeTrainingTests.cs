using Nonlinear.Data;
using Nonlinear.Interpret.Sae;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>Short training runs on the bundled digits (64 pixels): the SAE must learn, and the metrics must count what they say.</summary>
public sealed class SaeTrainingTests
{
    private static Tensor Digits()
    {
        var (train, _) = DataSources.Load("digits");
        return Tensor.FromArray(train.Features, train.Count, train.FeatureCount);
    }

    [Theory]
    [InlineData("topk", 0.25)]
    [InlineData("batchtopk", 0.25)]
    [InlineData("matryoshka", 0.3)]
    [InlineData("standard", 0.4)]
    [InlineData("jumprelu", 0.5)]
    [InlineData("gated", 0.5)]
    public void TrainingReducesTheReconstructionError(string arch, double maxFvu)
    {
        var x = Digits();
        var options = new SaeTrainOptions
        {
            Architecture = SaeArchitecture.Parse(arch), Expansion = 4, K = 8, Steps = 300, BatchSize = 256, LearningRate = 2e-3, Seed = 1,
            SparsityCoefficient = arch == "standard" ? 1.0 : null,
        };
        var untrained = SaeMetrics.Evaluate(SparseAutoencoder.Create(options.ToConfig(64), 1), x);
        var logs = new List<SaeStepLog>();
        var sae = SaeTrainer.Train(x, options, progress: logs.Add);
        var ev = SaeMetrics.Evaluate(sae, x);
        Assert.True(ev.Fvu < maxFvu && ev.Fvu < untrained.Fvu / 2, $"{arch}: FVU {ev.Fvu:F4} (untrained {untrained.Fvu:F4}), L0 {ev.L0:F2}");
        Assert.Equal(300, logs[^1].Step);
        if (arch is "topk" or "matryoshka") Assert.InRange(ev.L0, 7.5, 8.0);
        // The metrics agree with a direct count over the dense codes.
        var codes = sae.Encode(x).AsReadOnlySpan();
        int n = x.Size(0), m = sae.Config.DSae;
        long nonzero = 0;
        int dead = 0;
        for (int i = 0; i < m; i++)
        {
            bool any = false;
            for (int r = 0; r < n; r++) if (codes[r * m + i] != 0) { nonzero++; any = true; }
            if (!any) dead++;
        }
        Assert.Equal((double)nonzero / n, ev.L0, 9);
        Assert.Equal(dead, ev.Dead);
    }

    [Fact]
    public void FvuAndMseMatchTheirDefinitions()
    {
        var x = Digits();
        var sae = SparseAutoencoder.Create(new SaeConfig(SaeArchitecture.Parse("topk"), 64, 128, 64, 4), 3);
        var ev = SaeMetrics.Evaluate(sae, x);
        var xh = sae.Forward(x).AsReadOnlySpan();
        var xs = x.AsReadOnlySpan();
        int n = x.Size(0);
        double err = 0, tot = 0;
        var mean = new double[64];
        for (int r = 0; r < n; r++) for (int j = 0; j < 64; j++) mean[j] += xs[r * 64 + j];
        for (int j = 0; j < 64; j++) mean[j] /= n;
        for (int r = 0; r < n; r++)
            for (int j = 0; j < 64; j++)
            {
                err += Math.Pow((double)xh[r * 64 + j] - xs[r * 64 + j], 2);
                tot += Math.Pow(xs[r * 64 + j] - mean[j], 2);
            }
        Assert.Equal(err / tot, ev.Fvu, 9);
        Assert.Equal(err / (n * 64.0), ev.Mse, 9);
    }

    [Fact]
    public void TranscoderLearnsAKnownLinearMap()
    {
        // y = relu-free linear function of x: a transcoder with enough latents reconstructs it well.
        var x = Digits();
        int n = x.Size(0);
        var xs = x.AsReadOnlySpan();
        var y = new float[n * 8];
        for (int r = 0; r < n; r++) for (int k = 0; k < 8; k++) y[r * 8 + k] = xs[r * 64 + 8 * k + 3] - 0.5f * xs[r * 64 + 8 * k + 4];
        var yt = Tensor.FromArray(y, n, 8);
        var options = new SaeTrainOptions { Architecture = SaeArchitecture.Parse("topk"), Expansion = 2, K = 16, Steps = 300, BatchSize = 256, LearningRate = 2e-3 };
        var tc = SaeTrainer.Train(x, options, yt);
        Assert.True(tc.Config.IsTranscoder);
        Assert.False(tc.Config.ApplyBDecToInput);
        var ev = SaeMetrics.Evaluate(tc, x, yt);
        Assert.True(ev.Fvu < 0.2, $"transcoder FVU {ev.Fvu:F4}");
    }

    [Fact]
    public void ErrorAnalysisSeesLinearAndUnpredictableErrors()
    {
        var x = Digits();
        int n = x.Size(0);
        // Decoder and b_dec zero: x̂ = 0, the error is x itself, a linear function of the input.
        var sae = SparseAutoencoder.Create(new SaeConfig(SaeArchitecture.Parse("topk"), 64, 128, 64, 4), 3);
        Array.Clear(sae.Params.WDec);
        var linear = SaeErrorAnalysis.Analyze(sae, x, ridge: 1e-6);
        Assert.True(linear.VarianceShare > 0.9999 && linear.NormShare > 0.9999, $"{linear}");
        Assert.Equal((n * 4 / 5, n - n * 4 / 5), (linear.FitSamples, linear.TestSamples));
        // A transcoder target that is noise independent of x: its error cannot be predicted out of sample.
        var rng = new Rng(5);
        var noise = new float[n * 3];
        for (int i = 0; i < noise.Length; i++) noise[i] = (float)rng.NextGaussian();
        var tc = SparseAutoencoder.Create(new SaeConfig(SaeArchitecture.Parse("topk"), 64, 128, 3, 4, ApplyBDecToInput: false) { IsTranscoder = true }, 3);
        Array.Clear(tc.Params.WDec);
        var noisy = SaeErrorAnalysis.Analyze(tc, x, Tensor.FromArray(noise, n, 3), ridge: 1e-2);
        Assert.True(noisy.VarianceShare < 0.05, $"{noisy}");
        Assert.True(noisy.InSampleVarianceShare > noisy.VarianceShare, "in-sample fit overfits noise more than held-out");
    }
}
