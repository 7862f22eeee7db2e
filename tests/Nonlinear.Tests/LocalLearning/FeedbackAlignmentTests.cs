using Nonlinear.Layers;
using Nonlinear.LocalLearning;
using Nonlinear.Losses;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.LocalLearning;

/// <summary>
/// The FA and DFA update rules on tiny tanh MLPs, against the rule written out by hand in double; and FA with the
/// feedback set to the forward weights reproduces backpropagation exactly.
/// </summary>
public sealed class FeedbackAlignmentTests
{
    private static readonly Tensor X = Tensor.FromArray([0.5f, -1f, 2f, 0.1f, 0.3f, -0.7f], 2, 3);
    private static readonly int[] Labels = [1, 0];

    private static Sequential Net(string widths) => (Sequential)ModelSpec.Parse("mlp:" + widths, "tanh").Build(3, 2, new Rng(11));

    private static Dictionary<string, float[]> Grads(Module m) => m.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad!.ToArray());

    [Fact]
    public void FeedbackEqualToTheWeightsIsBackpropagation()
    {
        var bp = Net("4,5");
        Loss.CrossEntropy(bp.Call(X), Labels).Backward();
        var fa = Net("4,5");
        var rule = new FeedbackAlignment(fa, FeedbackMode.Feedback, new Rng(1));
        rule.Feedback[1] = ((Linear)fa[2]).Weight.Detach();
        rule.Feedback[2] = ((Linear)fa[4]).Weight.Detach();
        rule.Compute(fa, X, Labels, 0);
        var (gb, gf) = (Grads(bp), Grads(fa));
        Assert.Equal(6, gf.Count);
        foreach (var (name, g) in gb)
            for (int i = 0; i < g.Length; i++) Assert.Equal(g[i], gf[name][i], 1e-6f);
    }

    [Theory]
    [InlineData(FeedbackMode.Feedback)]
    [InlineData(FeedbackMode.Direct)]
    public void HiddenLayerGradientFollowsTheRule(FeedbackMode mode)
    {
        var net = Net("4");
        var rule = new FeedbackAlignment(net, mode, new Rng(2));
        rule.Compute(net, X, Labels, 0);
        var (l1, l2) = ((Linear)net[0], (Linear)net[2]);
        // By hand: a = x·W1ᵀ + b1, h = tanh(a), z = h·W2ᵀ + b2, δ = softmax(z) − onehot over the batch mean;
        // e = δ·B (FA, B [2, 4]) or δ·D (DFA, D [2, 4]) — one hidden layer makes the two shapes agree; ∂W1 = (e ⊙ (1 − h²))ᵀ·x.
        var feedback = (mode == FeedbackMode.Feedback ? rule.Feedback[1] : rule.Feedback[0])!.ToArray();
        Assert.Null(mode == FeedbackMode.Feedback ? rule.Feedback[0] : rule.Feedback[1]);
        var w1 = l1.Weight.ToArray(); var b1 = l1.Bias!.ToArray(); var w2 = l2.Weight.ToArray(); var b2 = l2.Bias!.ToArray();
        var x = X.ToArray();
        var expectW1 = new double[12];
        var expectW2 = new double[8];
        for (int s = 0; s < 2; s++)
        {
            var h = new double[4];
            for (int j = 0; j < 4; j++) { double a = b1[j]; for (int i = 0; i < 3; i++) a += w1[j * 3 + i] * x[s * 3 + i]; h[j] = Math.Tanh(a); }
            var z = new double[2];
            for (int c = 0; c < 2; c++) { z[c] = b2[c]; for (int j = 0; j < 4; j++) z[c] += w2[c * 4 + j] * h[j]; }
            double m = Math.Max(z[0], z[1]), e0 = Math.Exp(z[0] - m), e1 = Math.Exp(z[1] - m);
            double[] delta = [(e0 / (e0 + e1) - (Labels[s] == 0 ? 1 : 0)) / 2, (e1 / (e0 + e1) - (Labels[s] == 1 ? 1 : 0)) / 2];
            for (int j = 0; j < 4; j++)
            {
                double e = delta[0] * feedback[j] + delta[1] * feedback[4 + j];
                for (int i = 0; i < 3; i++) expectW1[j * 3 + i] += e * (1 - h[j] * h[j]) * x[s * 3 + i];
                for (int c = 0; c < 2; c++) expectW2[c * 4 + j] += delta[c] * h[j];
            }
        }
        var g1 = l1.Weight.Grad!.ToArray();
        var g2 = l2.Weight.Grad!.ToArray();
        for (int k = 0; k < 12; k++) Assert.Equal(expectW1[k], g1[k], 1e-6);
        for (int k = 0; k < 8; k++) Assert.Equal(expectW2[k], g2[k], 1e-6);
        // And it is not backpropagation: W2 ≠ the feedback, so BP's ∂W1 differs.
        var bp = Net("4");
        Loss.CrossEntropy(bp.Call(X), Labels).Backward();
        Assert.True(bp[0] is Linear bl && bl.Weight.Grad!.ToArray().Zip(g1).Any(p => Math.Abs(p.First - p.Second) > 1e-3));
    }

    [Fact]
    public void DirectFeedbackSkipsTheLayersAbove()
    {
        // Two hidden layers: with DFA the first layer's error is δ_out·D₀ alone, so zeroing D₁ (the second hidden
        // layer's feedback) must leave ∂W₀ unchanged, while the second layer gets no gradient at all.
        var a = Net("4,5");
        var ra = new FeedbackAlignment(a, FeedbackMode.Direct, new Rng(3));
        ra.Compute(a, X, Labels, 0);
        var b = Net("4,5");
        var rb = new FeedbackAlignment(b, FeedbackMode.Direct, new Rng(3));
        rb.Feedback[1] = Tensor.Zeros(2, 5);
        rb.Compute(b, X, Labels, 0);
        Assert.Equal(((Linear)a[0]).Weight.Grad!.ToArray(), ((Linear)b[0]).Weight.Grad!.ToArray());
        Assert.All(((Linear)b[2]).Weight.Grad!.ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(((Linear)a[2]).Weight.Grad!.ToArray(), g => g != 0f);
    }

    [Fact]
    public void ModesAreParsedAtTheEdge()
    {
        var net = Net("4");
        Assert.Equal((net, (IGradientRule?)null), LearningRules.Prepare(LearningSpec.Parse("bp"), net, 0));
        Assert.IsType<FeedbackAlignment>(LearningRules.Prepare(LearningSpec.Parse("DFA"), Net("4"), 0).Rule);
        Assert.IsType<ForwardForwardNet>(LearningRules.Prepare(LearningSpec.Parse("ff"), Net("4"), 0).Model);
        Assert.Contains("must be bp, fa, dfa, ff or hebbian-krotov", Assert.Throws<InvalidInputException>(() => LearningSpec.Parse("hebb")).Message);
        Assert.IsType<SpikingFeedbackAlignment>(LearningRules.Prepare(LearningSpec.Parse("fa"), ModelSpec.Parse("snn:8").Build(3, 2, new Rng(0)), 0).Rule);
        Assert.Contains("trains MLPs", Assert.Throws<InvalidInputException>(() => LearningRules.Prepare(LearningSpec.Parse("fa"), new Linear(3, 2, new Rng(0)), 0)).Message);
    }
}
