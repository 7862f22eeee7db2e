using Nonlinear.Layers;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Quantization;

public class PostTrainingQuantizationTests
{
    private static Tensor Inputs(ulong seed, int rows, int features)
    {
        var rng = new Rng(seed);
        return Tensor.FromArray(Enumerable.Range(0, rows * features).Select(_ => (float)rng.NextGaussian()).ToArray(), rows, features);
    }

    private static Sequential Mlp(ulong seed, string activation = "relu") =>
        new(new Linear(20, 64, new Rng(seed)), new ActivationLayer(activation), new Linear(64, 32, new Rng(seed + 1)),
            new ActivationLayer(activation), new Linear(32, 10, new Rng(seed + 2)));

    private static (double RelRms, double Agreement) Compare(Tensor a, Tensor b)
    {
        var (x, y) = (a.ToArray(), b.ToArray());
        double err = 0, norm = 0;
        for (int i = 0; i < x.Length; i++) { err += (x[i] - y[i]) * (double)(x[i] - y[i]); norm += (double)x[i] * x[i]; }
        int rows = a.Size(0), cols = a.Size(1), same = 0;
        for (int r = 0; r < rows; r++)
        {
            int ia = 0, ib = 0;
            for (int c = 1; c < cols; c++) { if (x[r * cols + c] > x[r * cols + ia]) ia = c; if (y[r * cols + c] > y[r * cols + ib]) ib = c; }
            if (ia == ib) same++;
        }
        return (Math.Sqrt(err / norm), (double)same / rows);
    }

    /// <summary>
    /// Each calibration method's int8 model tracks the float model closely on held-out inputs: 8-bit codes carry about
    /// 1/255 of each range, so a few per cent relative RMS at the logits; a wrong scale, zero point or table is off by far more.
    /// </summary>
    [Theory]
    [InlineData("minmax")]
    [InlineData("percentile")]
    [InlineData("mse")]
    [InlineData("entropy")]
    public void Int8ModelTracksTheFloatModel(string method)
    {
        var model = Mlp(3);
        var q = PostTrainingQuantizer.Quantize(model, Inputs(1, 1000, 20), new PtqOptions { Method = CalibrationMethods.Get(method) });
        var test = Inputs(2, 500, 20);
        var (rel, agree) = Compare(model.Call(test), q.Forward(test));
        Assert.True(rel < 0.05, $"{method}: relative RMS error {rel:P2}");
        Assert.True(agree >= 0.95, $"{method}: argmax agreement {agree:P1}");
        Assert.Equal(5, q.Layers.Count);
        Assert.IsType<QuantizedActivation>(q.Layers[1]);
    }

    /// <summary>The int8 path is the arithmetic it documents: a double evaluation of the dequantized network matches to float rounding.</summary>
    [Fact]
    public void SingleLayerEqualsItsDocumentedArithmetic()
    {
        var rng = new Rng(7);
        int n = 13, k = 37, rows = 9;
        var w = Enumerable.Range(0, n * k).Select(_ => (float)rng.NextGaussian()).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)rng.NextGaussian()).ToArray();
        var inQ = ActivationQuantization.FromRange(-3, 2);
        var layer = QuantizedLinear.FromFloat(w, b, n, k, inQ, null);
        var model = new QuantizedModel([layer]);
        var x = Inputs(8, rows, k);
        var y = model.Forward(x).ToArray();
        var xs = x.ToArray();
        var wq = layer.Weight.ToArray();
        var ws = layer.WeightScale.ToArray();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                long acc = 0;
                for (int t = 0; t < k; t++) acc += (long)(inQ.Quantize(xs[r * k + t]) - inQ.ZeroPoint) * wq[j * k + t];
                double want = acc * ((double)inQ.Scale * ws[j]) + b[j];
                Assert.True(Math.Abs(y[r * n + j] - want) <= 1e-5 * Math.Max(1, Math.Abs(want)), $"y[{r},{j}] = {y[r * n + j]}, expected {want}");
            }
        // Weight codes are the per-channel symmetric rounding: the largest |w| of a row maps to ±127.
        for (int j = 0; j < n; j++) Assert.Equal(127, Enumerable.Range(0, k).Max(t => Math.Abs((int)wq[j * k + t])));
    }

    [Fact]
    public void SaveLoadRoundTripsBitForBit()
    {
        var prelu = new global::Nonlinear.Layers.Learnable.PRelu(16, 0.2f);
        for (int c = 0; c < 16; c++) prelu.Weight.AsSpan()[c] = 0.05f * c - 0.3f;  // a different slope per channel: 16 tables
        var model = new Sequential(new Linear(20, 16, new Rng(1)), prelu, new Linear(16, 4, new Rng(2)));
        var q = PostTrainingQuantizer.Quantize(model, Inputs(4, 300, 20));
        string path = Path.Combine(Path.GetTempPath(), $"q-{Guid.NewGuid():N}.safetensors");
        try
        {
            QuantizedModelFile.Save(path, q, new Dictionary<string, string> { ["note"] = "test" });
            var (back, meta) = QuantizedModelFile.Load(path);
            Assert.Equal("test", meta["note"]);
            var x = Inputs(5, 50, 20);
            Assert.Equal(q.Forward(x).ToArray(), back.Forward(x).ToArray());
            Assert.Equal(16 * 256, ((QuantizedActivation)back.Layers[1]).Table.Length);
            Assert.True(new FileInfo(path).Length < 20 * 16 + 16 * 4 + 16 * 256 + 4096, "weights must be stored as int8");
            // A checkpoint or any other safetensors file is refused with a message naming the format.
            var other = Path.ChangeExtension(path, ".other.safetensors");
            global::Nonlinear.IO.SafeTensors.Save(other, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros(2) });
            var e = Assert.Throws<InvalidDataException>(() => QuantizedModelFile.Load(other));
            Assert.Contains(QuantizedModelFile.Format, e.Message);
            File.Delete(other);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BatchNormFoldsIntoThePrecedingLinear()
    {
        var lin = new Linear(6, 4, new Rng(3));
        var bn = new BatchNorm1d(4);
        float[] mu = [0.5f, -1, 2, 0], var = [2, 0.5f, 1, 3], g = [1.5f, -0.5f, 1, 2], be = [0.1f, 0.2f, -0.3f, 0];
        mu.CopyTo(bn.RunningMean.AsSpan()); var.CopyTo(bn.RunningVar.AsSpan()); g.CopyTo(bn.Weight.AsSpan()); be.CopyTo(bn.Bias.AsSpan());
        var model = new Sequential(lin, bn);
        model.Eval();
        var x = Inputs(6, 10, 6);
        var want = model.Call(x).ToArray();
        var net = FloatNetwork.From(new Sequential(lin, bn, new Linear(4, 2, new Rng(1))), 6);
        Assert.Equal(2, net.Stages.Count);
        var got = ((FloatLinear)net.Stages[0]).Forward(x).ToArray();
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= 1e-5 * Math.Max(1, Math.Abs(want[i])), $"{i}: {got[i]} vs {want[i]}");
    }

    [Fact]
    public void EqualizationKeepsTheFunctionAndEqualizesRanges()
    {
        var model = Mlp(11, "leaky_relu");
        // Make channel ranges very unequal, as after BatchNorm folding.
        var w = model.NamedParameters().First(p => p.Name == "0.weight").Tensor.AsSpan();
        for (int i = 0; i < 20; i++) w[i] *= 50;
        var net = FloatNetwork.From(model, 20);
        var x = Inputs(12, 40, 20);
        var before = net.Forward(x).ToArray();
        Assert.Equal(2, CrossLayerEqualization.Apply(net));
        var after = net.Forward(x).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.True(Math.Abs(before[i] - after[i]) <= 1e-4 * Math.Max(1, Math.Abs(before[i])), $"{i}: {after[i]} vs {before[i]}");
        var (a, b) = ((FloatLinear)net.Stages[0], (FloatLinear)net.Stages[2]);
        for (int c = 0; c < a.Out; c++)
        {
            double r1 = Enumerable.Range(0, a.In).Max(k => Math.Abs(a.Weight[c * a.In + k]));
            double r2 = Enumerable.Range(0, b.Out).Max(j => Math.Abs(b.Weight[j * b.In + c]));
            Assert.True(Math.Abs(r1 / r2 - 1) < 0.02, $"channel {c}: ranges {r1} and {r2}");
        }
        Assert.Throws<InvalidInputException>(() => PostTrainingQuantizer.Quantize(Mlp(1, "gelu"), Inputs(1, 10, 20), new PtqOptions { Equalize = true }));
        // tlu is declared homogeneous at its default τ = 0, but not with τ = 0.5: the bound instance is checked.
        Assert.Throws<InvalidInputException>(() => PostTrainingQuantizer.Quantize(Mlp(1, "tlu(0.5)"), Inputs(1, 10, 20), new PtqOptions { Equalize = true }));
        Assert.Equal(5, PostTrainingQuantizer.Quantize(Mlp(1, "tlu"), Inputs(1, 10, 20), new PtqOptions { Equalize = true }).Layers.Count);
    }

    /// <summary>Bias correction makes the mean output over the calibration rows of the dequantized-weight layer equal the float layer's.</summary>
    [Fact]
    public void BiasCorrectionRemovesTheMeanOutputError()
    {
        var rng = new Rng(21);
        int n = 8, k = 30, rows = 200;
        var w = Enumerable.Range(0, n * k).Select(_ => (float)(rng.NextGaussian() * 0.1)).ToArray();
        var l = new FloatLinear(w, new float[n], n, k);
        var x = Enumerable.Range(0, rows * k).Select(_ => (float)(rng.NextDouble() * 3)).ToArray();
        var sums = new double[k];
        for (int i = 0; i < x.Length; i++) sums[i % k] += x[i];
        var (codes, scales) = QuantizedLinear.QuantizeWeights(w, n, k);
        var b = PostTrainingQuantizer.CorrectBias(l, codes, scales, sums, rows);
        for (int j = 0; j < n; j++)
        {
            double meanFloat = 0, meanQ = 0;
            for (int t = 0; t < k; t++) { meanFloat += w[j * k + t] * sums[t] / rows; meanQ += (double)scales[j] * codes[j * k + t] * sums[t] / rows; }
            Assert.True(Math.Abs(meanQ + b[j] - meanFloat) < 1e-6, $"channel {j}: {meanQ + b[j]} vs {meanFloat}");
            Assert.NotEqual(0f, b[j]);
        }
    }

    [Fact]
    public void DynamicLinearMatchesFloatLinearClosely()
    {
        var lin = new Linear(50, 12, new Rng(5));
        var dq = new DynamicQuantizedLinear(lin);
        var x = Inputs(9, 30, 50);
        var (rel, _) = Compare(lin.Call(x), dq.Call(x));
        Assert.True(rel < 0.01, $"relative RMS error {rel:P3}");
        Assert.Equal(new[] { 30, 12 }, dq.Call(x).Shape.ToArray());
    }

    [Fact]
    public void UnsupportedLayersAreRefusedByName()
    {
        var model = new Sequential(new Linear(4, 4, new Rng(1)), new LayerNorm(4), new Linear(4, 2, new Rng(2)));
        var e = Assert.Throws<InvalidInputException>(() => PostTrainingQuantizer.Quantize(model, Inputs(1, 5, 4)));
        Assert.Contains("'1'", e.Message);
    }
}
