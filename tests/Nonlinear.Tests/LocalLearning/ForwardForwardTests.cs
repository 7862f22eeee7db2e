using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.LocalLearning;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.LocalLearning;

/// <summary>
/// Forward-forward: the per-layer loss and its gradient against the formulas written out in double, layer
/// locality (a layer's gradient and optimizer step do not depend on the layers above it), the goodness classifier,
/// checkpoint round trips, and learning on the bundled digits.
/// </summary>
public sealed class ForwardForwardTests
{
    private static ForwardForwardNet Net(string widths, int inputs = 14, int classes = 3, ulong seed = 5, bool scoreFirst = false) =>
        new((Sequential)ModelSpec.Parse("mlp:" + widths).Build(inputs, classes, new Rng(seed)),
            new ForwardForwardOptions { Threshold = 0.3f, ScoreFirstLayer = scoreFirst }, new Rng(seed + 100));

    private static Tensor Batch(int rows, int cols, ulong seed) => Tensor.Rand(new Rng(seed), [rows, cols], 0f, 1f);

    // The loss of layer k written out in double from the net's weights: embed, normalise, Linear, relu, mean square, softplus.
    private static double LayerLossDouble(ForwardForwardNet net, int k, double[][] input, Func<int, double[,]>? weight = null)
    {
        double[][] h = input;
        double loss = 0;
        for (int l = 0; l <= k; l++)
        {
            var w = weight?.Invoke(l) ?? ToDouble(net.Layer(l).Weight);
            var bias = net.Layer(l).Bias!.ToArray();
            int outs = w.GetLength(0), ins = w.GetLength(1);
            var next = new double[h.Length][];
            for (int r = 0; r < h.Length; r++)
            {
                double norm = Math.Sqrt(h[r].Sum(v => v * v)) + 1e-4;
                next[r] = new double[outs];
                for (int o = 0; o < outs; o++)
                {
                    double a = bias[o];
                    for (int i = 0; i < ins; i++) a += w[o, i] * h[r][i] / norm;
                    next[r][o] = Math.Max(0, a);
                }
            }
            h = next;
        }
        int half = h.Length / 2;
        for (int r = 0; r < h.Length; r++)
        {
            double g = h[r].Average(v => v * v), z = (r < half ? -1 : 1) * (g - net.Options.Threshold);
            loss += Math.Log(1 + Math.Exp(z));
        }
        return loss / h.Length;
    }

    private static double[,] ToDouble(Tensor w)
    {
        var a = w.ToArray();
        var d = new double[w.Size(0), w.Size(1)];
        for (int i = 0; i < a.Length; i++) d[i / w.Size(1), i % w.Size(1)] = a[i];
        return d;
    }

    private static double[][] Embedded(ForwardForwardNet net, Tensor x, int[] pos, int[] neg)
    {
        var rows = net.EmbedLabels(x, pos).ToArray().Concat(net.EmbedLabels(x, neg).ToArray()).Select(v => (double)v).ToArray();
        return Enumerable.Range(0, 2 * pos.Length).Select(r => rows.AsSpan(r * net.Inputs, net.Inputs).ToArray()).ToArray();
    }

    [Fact]
    public void LayerLossesAndGradientsMatchTheFormulasInDouble()
    {
        var net = Net("6,5");
        var rule = new ForwardForward(net, 9);
        var x = Batch(4, 14, 1);
        int[] labels = [0, 2, 1, 2];
        net.ZeroGrad(setToNone: true);
        rule.Compute(net, x, labels, 0);
        // The label value defaults to the batch's largest |x| (here a U(0, 1) sample).
        Assert.Equal(x.ToArray().Max(), net.LabelValue.Item());
        var neg = rule.NegativeLabels(x, labels);
        Assert.All(Enumerable.Range(0, 4), b => Assert.True(neg[b] != labels[b] && neg[b] is >= 0 and < 3));
        var input = Embedded(net, x, labels, neg);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(LayerLossDouble(net, k, input), rule.LastLayerLosses[k], 1e-5);
            // Central differences of layer k's own loss in its weights: the autograd gradient is exactly that.
            var w0 = ToDouble(net.Layer(k).Weight);
            var grad = net.Layer(k).Weight.Grad!.ToArray();
            int cols = w0.GetLength(1);
            foreach (int j in new[] { 0, 7, 13, 20, 29 })
            {
                double Loss(double delta)
                {
                    var w = (double[,])w0.Clone();
                    w[j / cols, j % cols] += delta;
                    return LayerLossDouble(net, k, input, l => l == k ? w : ToDouble(net.Layer(l).Weight));
                }
                double fd = (Loss(1e-6) - Loss(-1e-6)) / 2e-6;
                Assert.Equal(fd, grad[j], 2e-5);
            }
        }
    }

    [Fact]
    public void NoGradientOrUpdateCrossesALayer()
    {
        // The same first layer with and without a second layer above it: its gradient and its Adam step are bit-identical.
        var deep = Net("6,5");
        var shallow = Net("6");
        shallow.Layer(0).Weight.AsSpan().Clear();
        deep.Layer(0).Weight.AsReadOnlySpan().CopyTo(shallow.Layer(0).Weight.AsSpan());
        deep.Layer(0).Bias!.AsReadOnlySpan().CopyTo(shallow.Layer(0).Bias!.AsSpan());
        var x = Batch(8, 14, 2);
        int[] labels = [0, 1, 2, 0, 1, 2, 2, 1];
        var (a, b) = (new ForwardForward(deep, 3), new ForwardForward(shallow, 3));
        var (optA, optB) = (new Adam(deep.Parameters(), 0.01), new Adam(shallow.Parameters(), 0.01));
        for (int step = 0; step < 3; step++)
        {
            optA.ZeroGrad();
            optB.ZeroGrad();
            a.Compute(deep, x, labels, 0);
            b.Compute(shallow, x, labels, 0);
            Assert.Equal(shallow.Layer(0).Weight.Grad!.ToArray(), deep.Layer(0).Weight.Grad!.ToArray());
            Assert.Equal(b.LastLayerLosses[0], a.LastLayerLosses[0]);
            optA.Step();
            optB.Step();
            Assert.Equal(shallow.Layer(0).Weight.ToArray(), deep.Layer(0).Weight.ToArray());
        }
        // And the graph itself: layer 2's activity does not reach layer 1's weights.
        deep.ZeroGrad(setToNone: true);
        var acts = deep.Activities(deep.EmbedLabels(x, labels));
        ForwardForward.LayerLoss(ForwardForwardNet.Goodness(acts[1]), 0.3f).Backward();
        Assert.Null(deep.Layer(0).Weight.Grad);
        Assert.NotNull(deep.Layer(1).Weight.Grad);
    }

    [Fact]
    public void GoodnessClassifierSumsTheScoredLayers()
    {
        foreach (bool first in new[] { false, true })
        {
            var net = Net("6,5", scoreFirst: first);
            var x = Batch(5, 14, 4);
            net.InitLabelValue(x);
            Assert.Equal(first ? 0 : 1, net.FirstScoredLayer);
            var scores = net.GoodnessPerLabel(x).ToArray();
            for (int c = 0; c < 3; c++)
            {
                var acts = net.Activities(net.EmbedLabels(x, Enumerable.Repeat(c, 5).ToArray()));
                for (int r = 0; r < 5; r++)
                {
                    double expected = 0;
                    for (int k = net.FirstScoredLayer; k < 2; k++) expected += acts[k].ToArray().Skip(r * acts[k].Size(1)).Take(acts[k].Size(1)).Average(v => (double)v * v);
                    Assert.Equal(expected, scores[r * 3 + c], 1e-6);
                }
            }
            Assert.Equal(first ? 11 : 5, net.Readout.InFeatures);
        }
        // One hidden layer is always scored.
        Assert.Equal(0, Net("6").FirstScoredLayer);
    }

    [Fact]
    public void DigitsAreLearnedAndACheckpointPredictsTheSame()
    {
        // As `train --data digits --learning "ff(theta=0.5,label=3)" --model mlp:200,200 --epochs 15 --batch 64 --lr 0.01`
        // (standardised features, seed 0), which measured 87.74 % (goodness) and 92.76 % (read-out) on the 360 test digits.
        var (raw, rawTest) = DataSources.Load("digits", null);
        var std = Standardizer.Fit(raw);
        var (train, test) = (std.Transform(raw), std.Transform(rawTest));
        var spec = LearningSpec.Parse("ff(theta=0.5,label=3)");
        var (model, rule) = LearningRules.Prepare(spec, ModelSpec.Parse("mlp:200,200").Build(64, 10, new Rng(0)), 0);
        var trainer = new Trainer(model, new TrainOptions { Epochs = 15, BatchSize = 64, LearningRate = 0.01f, Seed = 0 }) { GradientRule = rule };
        var history = trainer.Fit(train, test);
        Assert.True(history[^1].TestAccuracy >= 0.85, $"goodness: test accuracy {history[^1].TestAccuracy:P2}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"loss {history[0].TrainLoss} → {history[^1].TrainLoss}");
        var net = (ForwardForwardNet)model;
        var x = Tensor.FromArray(test.Features, test.Count, 64);
        double readout = (double)Metrics.CountCorrect(net.ReadoutLogits(x), test.Labels!) / test.Count;
        Assert.True(readout >= 0.90, $"read-out: test accuracy {readout:P2}");
        // A net rebuilt from another seed with the loaded state predicts the same, by goodness and by the read-out.
        var copy = (ForwardForwardNet)LearningRules.Prepare(LearningSpec.Parse("ff(theta=0.5,label=3,predict=softmax)"), ModelSpec.Parse("mlp:200,200").Build(64, 10, new Rng(77)), 77).Model;
        copy.LoadStateDict(model.StateDict());
        Assert.Equal(net.ReadoutLogits(x).ToArray(), copy.Call(x).ToArray());
        Assert.Equal(net.Call(x).ToArray(), copy.GoodnessPerLabel(x).ToArray());
    }

    [Fact]
    public void SpecsParseBackAndRefuseBadValues()
    {
        var spec = LearningSpec.Parse("FF(theta=1.5, predict=softmax, label=2)");
        Assert.Equal("ff(theta=1.5,label=2,predict=softmax,score_first=true)", spec.ToString());
        Assert.Equal(spec, LearningSpec.Parse(spec.ToString()));
        Assert.Equal("ff(theta=2,label=auto,predict=goodness,score_first=true)", LearningSpec.Parse("ff").ToString());
        Assert.False(LearningSpec.Parse("ff(score_first=false)").ForwardForward.ScoreFirstLayer);
        Assert.Equal(LearningSpec.Parse("ff"), LearningSpec.Parse("ff(label=auto)"));
        var kh = LearningSpec.Parse("hebbian-krotov(k=3,epochs=2)");
        Assert.Equal("hebbian-krotov(p=3,k=3,delta=0.4,eps=0.02,epochs=2,batch=100,n=4.5)", kh.ToString());
        Assert.Equal(kh, LearningSpec.Parse(kh.ToString()));
        Assert.Contains("theta must be a positive", Assert.Throws<InvalidInputException>(() => LearningSpec.Parse("ff(theta=-1)")).Message);
        Assert.Contains("takes no parameter 'k'", Assert.Throws<InvalidInputException>(() => LearningSpec.Parse("ff(k=2)")).Message);
        Assert.Contains("predict must be goodness or softmax", Assert.Throws<InvalidInputException>(() => LearningSpec.Parse("ff(predict=max)")).Message);
        Assert.Contains("k must be in [2", Assert.Throws<InvalidInputException>(() => LearningSpec.Parse("hebbian-krotov(k=1)")).Message);
        Assert.Contains("closing ')'", Assert.Throws<InvalidInputException>(() => LearningSpec.Parse("ff(theta=2")).Message);
        Assert.Contains("first 10 input features", Assert.Throws<InvalidInputException>(() =>
            LearningRules.Prepare(LearningSpec.Parse("ff"), ModelSpec.Parse("mlp:4").Build(8, 10, new Rng(0)), 0)).Message);
        Assert.Contains("at least one hidden layer", Assert.Throws<InvalidInputException>(() =>
            LearningRules.Prepare(LearningSpec.Parse("ff"), ModelSpec.Parse("mlp:").Build(20, 10, new Rng(0)), 0)).Message);
    }
}
