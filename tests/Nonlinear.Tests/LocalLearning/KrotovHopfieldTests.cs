using Nonlinear.Data;
using Nonlinear.LocalLearning;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.LocalLearning;

/// <summary>
/// Krotov–Hopfield's competing hidden units: the rule on examples computed by hand, the fast float update against the
/// double reference, convergence of the synapses to unit p-norm, and the unsupervised net plus read-out on digits.
/// </summary>
public sealed class KrotovHopfieldTests
{
    [Fact]
    public void RuleMatchesAHandComputedExampleWithP2()
    {
        // W rows (1,0), (0,1), (½,½); v = (1,2). Currents 1, 2, 1.5: unit 1 wins (g = 1), unit 2 is rank 2 (g = −0.4).
        // ΔW₁ = v − 2·W₁ = (1, 0); ΔW₂ = −0.4·v + 0.6·W₂ = (−0.1, −0.5); max|ΔW| = 1.
        var o = new KrotovHopfieldOptions { P = 2, K = 2, Delta = 0.4 };
        double[] w = [1, 0, 0, 1, 0.5, 0.5];
        var dir = KrotovHopfield.ReferenceDirection(w, [1, 2], 3, 2, o);
        double[] expected = [0, 0, 1, 0, -0.1, -0.5];
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], dir[i], 1e-15);
        var t = Tensor.FromArray(w.Select(v => (float)v).ToArray(), 3, 2);
        KrotovHopfield.Step(t, Tensor.FromArray([1f, 2f], 1, 2), 0.1, o);
        float[] after = [1, 0, 0.1f, 1, 0.49f, 0.45f];
        for (int i = 0; i < 6; i++) Assert.Equal(after[i], t.ToArray()[i], 1e-7f);
    }

    [Fact]
    public void RuleMatchesAHandComputedExampleWithP3AndANegativeWeight()
    {
        // p = 3: I_μ = Σ sign(W)|W|² v. W₀ = (1, −1): I₀ = 1 − 2 = −1; W₁ = (½, ½): I₁ = ¼ + ½ = 0.75. Unit 1 wins, unit 0 is rank 2.
        // ΔW₁ = v − 0.75·W₁ = (0.625, 1.625); ΔW₀ = −0.4·(v + W₀) = (−0.8, −0.4); divided by max|ΔW| = 1.625.
        var o = new KrotovHopfieldOptions { P = 3, K = 2, Delta = 0.4 };
        var dir = KrotovHopfield.ReferenceDirection([1, -1, 0.5, 0.5], [1, 2], 2, 2, o);
        double[] expected = [-0.8 / 1.625, -0.4 / 1.625, 0.625 / 1.625, 1];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], dir[i], 1e-15);
    }

    [Fact]
    public void FloatStepFollowsTheDoubleReference()
    {
        var o = new KrotovHopfieldOptions { P = 3, K = 3, Delta = 0.4 };
        var rng = new Rng(3);
        var w = Tensor.Randn(rng, [12, 9]);
        var v = Tensor.Rand(rng, [7, 9], 0f, 1f);
        var dir = KrotovHopfield.ReferenceDirection(w.ToArray().Select(x => (double)x).ToArray(), v.ToArray().Select(x => (double)x).ToArray(), 12, 9, o);
        var before = w.ToArray();
        KrotovHopfield.Step(w, v, 0.05, o);
        var after = w.ToArray();
        Assert.Contains(dir, d => d == 1 || d == -1);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i] + 0.05 * dir[i], after[i], 2e-6);
    }

    [Fact]
    public void SynapsesConvergeToUnitPNorm()
    {
        var rng = new Rng(8);
        var data = Dataset.Classification(Tensor.Rand(rng, [2000, 16], 0f, 1f).ToArray(), new int[2000], 16, 1, "uniform");
        var o = new KrotovHopfieldOptions { P = 3, K = 2, Delta = 0.4, LearningRate = 0.05, Epochs = 20, BatchSize = 20 };
        var w = Tensor.Randn(new Rng(9), [6, 16]);
        var initial = w.ToArray();
        var start = KrotovHopfield.RowNorms(w, 3);
        Assert.All(start, n => Assert.True(Math.Abs(n - 1) > 0.5, $"initial norm {n}"));
        KrotovHopfield.Fit(w, data, o, seed: 1);
        var end = KrotovHopfield.RowNorms(w, 3);
        // Units that keep winning end on the unit sphere; in this run one unit (from 2.43 to 2.12) rarely wins and
        // is mostly pushed by the anti-Hebbian term, so it has not arrived yet — but it moved toward 1.
        int converged = end.Count(n => Math.Abs(n - 1) < 1e-3);
        Assert.All(Enumerable.Range(0, 6), mu => Assert.True(Math.Abs(end[mu] - 1) < Math.Abs(start[mu] - 1), $"unit {mu}: {start[mu]} → {end[mu]}"));
        Assert.True(converged >= 5, $"final p-norms {string.Join(", ", end)}");
    }

    [Fact]
    public void UnsupervisedHiddenUnitsWithATrainedReadOutClassifyDigits()
    {
        var (train, test) = DataSources.Load("digits", null);
        var spec = LearningSpec.Parse("hebbian-krotov(epochs=10,k=3,batch=50)");
        var (model, rule) = LearningRules.Prepare(spec, ModelSpec.Parse("mlp:100").Build(64, 10, new Rng(2)), 2);
        Assert.Null(rule);
        var net = Assert.IsType<KrotovHopfieldNet>(model);
        var synapses = net.Synapses.ToArray();
        net.FitSynapses(train, 2);
        Assert.NotEqual(synapses, net.Synapses.ToArray());
        var frozen = net.Synapses.ToArray();
        var trainer = new Trainer(net, new TrainOptions { Epochs = 30, BatchSize = 64, LearningRate = 0.01f, Seed = 2 });
        var history = trainer.Fit(train, test);
        // The read-out is trained by backprop; the synapses are a buffer the optimizer never sees.
        Assert.Equal(frozen, net.Synapses.ToArray());
        Assert.DoesNotContain(net.Parameters(), p => ReferenceEquals(p, net.Synapses));
        // 100 unsupervised units and a linear read-out trained for 30 epochs.
        Assert.True(history[^1].TestAccuracy >= 0.90, $"test accuracy {history[^1].TestAccuracy:P2}");
        var copy = (KrotovHopfieldNet)LearningRules.Prepare(spec, ModelSpec.Parse("mlp:100").Build(64, 10, new Rng(5)), 5).Model;
        copy.LoadStateDict(net.StateDict());
        var batch = Tensor.FromArray(test.Features.AsSpan(0, 40 * 64).ToArray(), 40, 64);
        Assert.Equal(net.Call(batch).ToArray(), copy.Call(batch).ToArray());
        Assert.Contains("one hidden layer", Assert.Throws<InvalidInputException>(() =>
            LearningRules.Prepare(spec, ModelSpec.Parse("mlp:10,10").Build(64, 10, new Rng(0)), 0)).Message);
    }
}
