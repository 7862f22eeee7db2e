using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Layers.Transformer;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>Dynamic int8 quantization of Linear layers with per-row activation scales, and of the `lm train` transformer.</summary>
public class TransformerQuantizationTests
{
    private static Tensor Inputs(ulong seed, int rows, int features)
    {
        var rng = new Rng(seed);
        return Tensor.FromArray(Enumerable.Range(0, rows * features).Select(_ => (float)rng.NextGaussian()).ToArray(), rows, features);
    }

    /// <summary>
    /// Per row, the output is exactly y[r, j] = float(Σₖ (x_q[r, k] − z_r)·W_q[j, k])·float(s_r·s_j) + b_j with each row's
    /// own uint8 quantization of its [min, max] ∪ {0}: bit for bit, on a batch with an outlier row (×50).
    /// </summary>
    [Fact]
    public void PerRowDynamicLinearIsItsDocumentedArithmetic()
    {
        var lin = new Linear(40, 9, new Rng(3));
        var x = Inputs(4, 6, 40).ToArray();
        for (int k = 0; k < 40; k++) x[2 * 40 + k] *= 50;
        var dq = new DynamicQuantizedLinear(lin, DynamicActivationScale.PerRow);
        var got = dq.Call(Tensor.FromArray(x, 2, 3, 40));   // any leading shape: rows are the last axis
        Assert.Equal(new[] { 2, 3, 9 }, got.Shape.ToArray());
        var (codes, scales) = QuantizedLinear.QuantizeWeights(lin.Weight.ToArray(), 9, 40);
        var bias = lin.Bias!.ToArray();
        var want = new float[6 * 9];
        for (int r = 0; r < 6; r++)
        {
            var row = x.AsSpan(r * 40, 40);
            var q = ActivationQuantization.FromRange(Math.Min(0, row.ToArray().Min()), Math.Max(0, row.ToArray().Max()));
            for (int j = 0; j < 9; j++)
            {
                long acc = 0;
                for (int k = 0; k < 40; k++)
                {
                    int code = (int)Math.Clamp(MathF.Round(row[k] / q.Scale) + q.ZeroPoint, 0, 255);
                    acc += (long)(code - q.ZeroPoint) * codes[j * 40 + k];
                }
                want[r * 9 + j] = (float)acc * (float)((double)q.Scale * scales[j]) + bias[j];
            }
        }
        Assert.Equal(want, got.ToArray());
    }

    /// <summary>
    /// With one outlier row, a per-tensor scale coarsens every other row's grid 50-fold; per-row scales keep their error
    /// at the level of a batch without the outlier (relative RMS on the ordinary rows).
    /// </summary>
    [Fact]
    public void PerRowScalesShieldOrdinaryRowsFromAnOutlier()
    {
        var lin = new Linear(64, 16, new Rng(8));
        var x = Inputs(9, 8, 64).ToArray();
        for (int k = 0; k < 64; k++) x[k] *= 50;
        var input = Tensor.FromArray(x, 8, 64);
        var exact = lin.Call(input).ToArray();
        double Error(DynamicActivationScale g)
        {
            var y = new DynamicQuantizedLinear(lin, g).Call(input).ToArray();
            double e = 0, n = 0;
            for (int i = 16; i < y.Length; i++) { e += (y[i] - exact[i]) * (double)(y[i] - exact[i]); n += exact[i] * (double)exact[i]; }
            return Math.Sqrt(e / n);
        }
        double perRow = Error(DynamicActivationScale.PerRow), perTensor = Error(DynamicActivationScale.PerTensor);
        Assert.True(perRow < 0.01, $"per-row relative RMS {perRow:P3}");
        Assert.True(perTensor > 5 * perRow, $"per-tensor {perTensor:P3} vs per-row {perRow:P3}");
    }

    private static LanguageModelTrainer TrainTiny(string mlp, PositionEncoding position, NormKind norm, int steps)
    {
        var config = new TransformerConfig(1, 2, 32, 4, 32) { Mlp = MlpSpec.Parse(mlp), Position = position, Norm = norm };
        var options = new LanguageModelOptions { Steps = steps, BatchSize = 16, WarmupSteps = 10, LearningRate = 3e-3, EvalBatches = 8, Seed = 1 };
        var trainer = new LanguageModelTrainer(config, TextCorpus.Load("bundled"), options);
        for (int i = 0; i < steps; i++) trainer.TrainStep();
        return trainer;
    }

    /// <summary>
    /// A tiny transformer trained briefly on the bundled text (2 layers, width 32, 200 steps) keeps its validation bits
    /// per character within 0.02 bpc of float under dynamic int8 (per-row activation scales), on the same windows; the
    /// int8 path is really taken (the bpc moves) and disposing the handle restores the float model exactly.
    /// </summary>
    [Theory]
    [InlineData("gelu", PositionEncoding.Learned, NormKind.LayerNorm)]
    [InlineData("swiglu", PositionEncoding.Rotary, NormKind.RmsNorm)]
    public void DynamicInt8KeepsBitsPerCharacter(string mlp, PositionEncoding position, NormKind norm)
    {
        var trainer = TrainTiny(mlp, position, norm, 200);
        double floatBpc = trainer.ValidationBitsPerCharacter();
        Assert.True(floatBpc < 4.0, $"the float model did not learn: {floatBpc:0.000} bpc");
        double int8Bpc;
        using (var q = DynamicQuantization.Apply(trainer.Model))
        {
            Assert.Equal(2 * 4, q.Layers.Count);   // qkv, proj, fc_in, fc_out per block; the tied head is a MatMul, not a Linear
            int8Bpc = trainer.ValidationBitsPerCharacter();
        }
        Assert.True(Math.Abs(int8Bpc - floatBpc) <= 0.02, $"int8 {int8Bpc:0.0000} vs float {floatBpc:0.0000} bpc");
        Assert.NotEqual(floatBpc, int8Bpc);
        Assert.Equal(floatBpc, trainer.ValidationBitsPerCharacter());
    }

    /// <summary>The int8 state file restores the same int8 model: a fresh transformer loaded from it gives the same logits bit for bit.</summary>
    [Fact]
    public void Int8StateFileRestoresTheSameLogits()
    {
        var config = new TransformerConfig(20, 2, 16, 2, 8) { Mlp = MlpSpec.Parse("geglu"), TieWeights = false, InitStd = 0.2 };
        var model = new DecoderTransformer(config, new Rng(4));
        model.Eval();
        var ids = Enumerable.Range(0, 2 * 8).Select(i => (i * 7 + 3) % 20).ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"lm-int8-{Guid.NewGuid():N}.safetensors");
        try
        {
            float[] want;
            long int8Weights, scales;
            using (var q = DynamicQuantization.Apply(model, DynamicActivationScale.PerTensor))
            {
                Assert.Equal(2 * 4 + 1, q.Layers.Count);   // the untied head is a Linear too
                want = model.Logits(ids, 2, 8).ToArray();
                DynamicQuantizedStateFile.Save(path, model, q.Layers, "model.", new Dictionary<string, string> { ["format"] = "test" });
                (int8Weights, scales) = (q.Layers.Values.Sum(l => (long)l.Weight.Length), q.Layers.Values.Sum(l => (long)l.OutFeatures));
            }
            var (tensors, layers, meta) = DynamicQuantizedStateFile.Load(path, "model.");
            Assert.Equal("per_tensor", meta["activation_scale"]);
            var fresh = new DecoderTransformer(config, new Rng(99));
            fresh.Eval();
            fresh.LoadStateDict(tensors.ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value));
            using (DynamicQuantization.Attach(fresh, layers))
                Assert.Equal(want, fresh.Logits(ids, 2, 8).ToArray());
            // The same state in float32: the int8 file saves 3 bytes per Linear weight and spends 4 per scale (headers
            // differ by the scale entries' names, well under 2 KiB here).
            string floatPath = Path.ChangeExtension(path, ".f32.safetensors");
            Nonlinear.IO.SafeTensors.Save(floatPath, model.StateDict());
            long saved = new FileInfo(floatPath).Length - new FileInfo(path).Length;
            File.Delete(floatPath);
            Assert.InRange(saved, 3 * int8Weights - 4 * scales - 2048, 3 * int8Weights);
        }
        finally { File.Delete(path); }
    }
}
