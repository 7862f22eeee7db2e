using Nonlinear.Losses;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Transformer;

/// <summary>The grokking setup: the peer's model, the last-position shortcut, the float64 loss.</summary>
public class GrokkingTests
{
    [Fact]
    public void ModelHasThePeersParametersPlusTheUnreadEqualsRowOfTheHead()
    {
        var run = new Grokking(113);
        // grokking.py: W_E 114·128 + W_pos 3·128 + W_Q,K,V,O 4·128² + W_in 128·512 + b_in 512 + W_out 512·128 + b_out 128
        // + W_U 128·113 = 226,688 (no attention biases). Ours adds the head's row for "=" (128 weights no loss reads).
        Assert.Equal(226_688 + 128, run.Model.ParameterCount);
        Assert.Equal(3830, run.TrainCount);
        Assert.Equal(113 * 113 - 3830, run.TestCount);
    }

    [Fact]
    public void LastPositionLogitsEqualTheWholeSequenceForwardInValueAndGradient()
    {
        var run = new Grokking(p: 11, trainFraction: 0.3, seed: 5);
        int[] x = [3, 7, 11, 0, 10, 11, 9, 9, 11, 5, 1, 11];
        int n = 4;
        var fast = run.LastLogits(x);
        var full = Ops.Slice(Ops.Select(run.Model.Logits(x, n, 3), 1, 2), -1, 0, 11);
        var f = fast.ToArray();
        var g = full.ToArray();
        Assert.Equal(n * 11, f.Length);
        for (int i = 0; i < f.Length; i++) Assert.Equal(g[i], f[i], 5e-6f);
        int[] labels = [10, 10, 7, 6];
        var ps = run.Model.NamedParameters().ToList();
        run.Model.ZeroGrad(setToNone: true);
        Loss.CrossEntropy(fast.Contiguous(), labels).Backward();
        var fastGrads = ps.Select(p => p.Tensor.Grad?.ToArray()).ToList();
        run.Model.ZeroGrad(setToNone: true);
        Loss.CrossEntropy(full.Contiguous(), labels).Backward();
        for (int k = 0; k < ps.Count; k++)
        {
            var want = ps[k].Tensor.Grad?.ToArray();
            var got = fastGrads[k];
            if (want is null) { Assert.True(got is null || got.All(v => v == 0), ps[k].Name); continue; }
            Assert.NotNull(got);
            double scale = want.Max(Math.Abs) + 1e-12;
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got![i]) <= 1e-5 * scale, $"{ps[k].Name}[{i}]: {got[i]} vs {want[i]}");
        }
    }

    [Fact]
    public void DoubleCrossEntropyMatchesTheFloatLossAndKeepsTheTinyTargetGradient()
    {
        var logits = Tensor.From(new float[,] { { 0.5f, -1.25f, 2f }, { 30f, 0f, 0f } }).RequireGrad();
        var loss = Grokking.DoubleCrossEntropy(logits, [2, 0], out double value);
        double lse0 = Math.Log(Math.Exp(0.5) + Math.Exp(-1.25) + Math.Exp(2));
        double l1 = Math.Log(1 + 2 * Math.Exp(-30));
        Assert.Equal((lse0 - 2 + l1) / 2, value, 1e-12);
        loss.Backward();
        var g = logits.Grad!.ToArray();
        // Row 2: p_target = 1/(1 + 2e⁻³⁰); float's 1 − p is 0, the double form keeps −2e⁻³⁰/(1 + 2e⁻³⁰) / batch.
        double want = -2 * Math.Exp(-30) / (1 + 2 * Math.Exp(-30)) / 2;
        Assert.Equal(want, g[3], Math.Abs(want) * 1e-6);
        Assert.Equal(Math.Exp(0.5 - lse0) / 2, g[0], 1e-7);
        Assert.Equal((Math.Exp(2 - lse0) - 1) / 2, g[2], 1e-7);
        Assert.Equal(Loss.CrossEntropy(logits.Detach(), [2, 0]).Item(), (float)value, 1e-6f);
    }
}
