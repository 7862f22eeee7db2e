using Microsoft.ML.OnnxRuntime;
using Nonlinear.Export;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Export;

/// <summary>
/// int8 models exported in QDQ form, run in ONNX Runtime against our int8 kernels (<see cref="QuantizedModel.Forward(Tensor, Nonlinear.Kernels.SimdTier)"/>).
/// Tolerance, from where the two differ: we sum exact int32 products and scale once; ORT may evaluate the float
/// Gemm between DQ and Q (n products of dequantized values, each rounded, summed in float), so a logit may differ by
/// up to (n + 4)·2⁻²⁴·Σₖ|x̂ₖ·ŵⱼₖ| (plus an ulp of the bias). Tables are applied to codes exactly (Gather), so
/// a hidden code can only differ where a pre-activation lies within that float error of a rounding tie; such a flip
/// moves a logit by s_x·|ŵ| per flipped input. The tests bound both.
/// </summary>
public sealed class QdqOrtTests
{
    private static Tensor Inputs(int rows, int cols, ulong seed = 7) => Tensor.Rand(new Rng(seed), [rows, cols], -3f, 3f);

    private static float[] RunOrt(QuantizedModel q, Tensor x, int opset = OnnxExportOptions.DefaultOpset,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        Ort.Run(QdqExporter.ToBytes(q, new OnnxExportOptions { Opset = opset }), x.ToArray(), [x.Size(0), x.Size(1)], [x.Size(0), q.OutFeatures], level);

    // The float-summation bound of one Linear with float output on dequantized inputs x̂ [rows, in].
    private static double[] Bound(QuantizedLinear l, float[] xhat, int rows)
    {
        var w = l.Weight.ToArray();
        var s = l.WeightScale.ToArray();
        var b = l.Bias.ToArray();
        int n = l.InFeatures, m = l.OutFeatures;
        var bound = new double[rows * m];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < m; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += Math.Abs((double)xhat[r * n + k] * s[j] * w[j * n + k]);
                bound[r * m + j] = (n + 4) * Math.Pow(2, -24) * sum + Math.Pow(2, -23) * Math.Abs(b[j]) + 1e-30;
            }
        return bound;
    }

    [Fact]
    public void SingleLinearLayerAgreesToFloatSummationError()
    {
        var model = new Sequential(new Linear(40, 6, new Rng(1)));
        var x = Inputs(64, 40);
        var q = PostTrainingQuantizer.Quantize(model, x);
        var ours = q.Forward(x).ToArray();
        var ort = RunOrt(q, x);
        var l = (QuantizedLinear)q.Layers[0];
        var xhat = x.ToArray().Select(v => (float)l.Input.Dequantize(l.Input.Quantize(v))).ToArray();
        var bound = Bound(l, xhat, 64);
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - ort[i]) <= bound[i], $"[{i}]: ORT {ort[i]:R}, ours {ours[i]:R}, bound {bound[i]:E2}");
    }

    /// <summary>
    /// gelu (one table), a per-channel PReLU (a table per feature) and the int32 hidden biases through three layers.
    /// At least 97 % of logits within the float bound of the last layer (computed from its widest input, 255 codes
    /// from the zero point), and none further than four flipped input codes: a wrong scale, zero point, bias grid or
    /// table is off by whole ranges.
    /// At every optimisation level: ORT's full optimisation fuses DQ→Gemm→Q into integer kernels whose u8·s8 form
    /// saturates int16 pair sums on CPUs without VNNI; the export's uint8 weights (zero point 128) take its u8·u8
    /// kernels instead (with int8 weights the logits moved by up to 0.3–0.6 at EXTENDED/ALL).
    /// </summary>
    [Theory]
    [InlineData(OnnxExportOptions.DefaultOpset, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(OnnxExportOptions.DefaultOpset, GraphOptimizationLevel.ORT_ENABLE_EXTENDED)]
    [InlineData(OnnxExportOptions.DefaultOpset, GraphOptimizationLevel.ORT_ENABLE_BASIC)]
    [InlineData(17, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    public void MlpWithTablesAgreesWithOurInt8Kernels(int opset, GraphOptimizationLevel level)
    {
        var prelu = new PRelu(24);
        var slopes = Enumerable.Range(0, 24).Select(i => -0.4f + 0.05f * i).ToArray();
        slopes.CopyTo(prelu.Weight.AsSpan());
        var model = new Sequential(new Linear(20, 32, new Rng(2)), new ActivationLayer("gelu"), new Linear(32, 24, new Rng(3)), prelu, new Linear(24, 10, new Rng(4)));
        var q = PostTrainingQuantizer.Quantize(model, Inputs(256, 20, 11));
        Assert.Equal(24, ((QuantizedActivation)q.Layers[3]).Channels);
        var x = Inputs(128, 20);
        var ours = q.Forward(x).ToArray();
        var ort = RunOrt(q, x, opset, level);
        var last = (QuantizedLinear)q.Layers[^1];
        float widest = (float)Math.Max(Math.Abs(last.Input.Dequantize(0)), Math.Abs(last.Input.Dequantize(255)));
        var bound = Bound(last, Enumerable.Repeat(widest, 128 * last.InFeatures).ToArray(), 128);
        double flip = 4 * last.Input.Scale * Enumerable.Range(0, last.Weight.Length).Max(i => Math.Abs(last.Weight.Span[i] * last.WeightScale.Span[i / last.InFeatures]));
        int within = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double d = Math.Abs(ours[i] - ort[i]);
            if (d <= bound[i]) within++;
            Assert.True(d <= bound[i] + flip, $"[{i}]: ORT {ort[i]:R}, ours {ours[i]:R}");
        }
        Assert.True(within >= 0.97 * ours.Length, $"{within}/{ours.Length} logits within the float bound");
    }

    /// <summary>
    /// A 7-bit (reduce_range) input has no ONNX type: the export clips to the value of code 127 before a uint8
    /// QuantizeLinear. Inputs twice the calibration range make many codes saturate; ORT at full optimisation must still
    /// agree to the float-summation bound of x̂ clamped at 127, as the 8-bit single layer does.
    /// </summary>
    [Fact]
    public void SevenBitInputSaturatesAt127InOnnxRuntime()
    {
        var model = new Sequential(new Linear(40, 6, new Rng(1)));
        var q = PostTrainingQuantizer.Quantize(model, Inputs(64, 40), new PtqOptions { ReduceRange = true });
        var l = (QuantizedLinear)q.Layers[0];
        Assert.Equal(127, l.Input.MaxCode);
        var x = Tensor.Rand(new Rng(9), [64, 40], -6f, 6f);
        var ours = q.Forward(x).ToArray();
        var ort = RunOrt(q, x);
        var codes = x.ToArray().Select(v => l.Input.Quantize(v)).ToArray();
        Assert.True(codes.Count(c => c == 127) > 100, "the test must saturate codes");
        var bound = Bound(l, codes.Select(c => (float)l.Input.Dequantize(c)).ToArray(), 64);
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - ort[i]) <= bound[i], $"[{i}]: ORT {ort[i]:R}, ours {ours[i]:R}, bound {bound[i]:E2}");
    }

    [Fact]
    public void GraphIsQdqAroundFloatGemms()
    {
        var model = new Sequential(new Linear(8, 6, new Rng(5)), new ActivationLayer("silu"), new Linear(6, 3, new Rng(6)));
        var q = PostTrainingQuantizer.Quantize(model, Inputs(64, 8));
        string path = Path.Combine(Path.GetTempPath(), $"nonlinear-qdq-{Environment.ProcessId}.onnx");
        try
        {
            var r = QdqExporter.Export(q, path);
            // Input Q; per Linear DQ(x), DQ(W); hidden Linear DQ(bias) and Q(out); the activation's Cast + Gather.
            Assert.Equal(2, r.OpCounts["QuantizeLinear"]);
            Assert.Equal(5, r.OpCounts["DequantizeLinear"]);
            Assert.Equal(2, r.OpCounts["Gemm"]);
            Assert.Equal(1, r.OpCounts["Gather"]);
            Assert.Equal(1, r.OpCounts["Cast"]);
            Assert.False(r.OpCounts.ContainsKey("Add")); // one shared table: no per-channel offsets
            Assert.Equal(new FileInfo(path).Length, r.Bytes);
        }
        finally { File.Delete(path); }
    }

    [OnnxCheckerFact]
    public void QdqExportPassesTheChecker()
    {
        var prelu = new PRelu(5);
        var model = new Sequential(new Linear(7, 5, new Rng(8)), prelu, new Linear(5, 4, new Rng(9)), new ActivationLayer("tanh"), new Linear(4, 2, new Rng(10)));
        var q = PostTrainingQuantizer.Quantize(model, Inputs(64, 7));
        string path = Path.Combine(Path.GetTempPath(), $"nonlinear-qdq-check-{Environment.ProcessId}.onnx");
        try
        {
            QdqExporter.Export(q, path, new OnnxExportOptions { Opset = 17 });
            var (code, output) = OnnxCheckerTests.Python(OnnxCheckerTests.Script(), path);
            Assert.True(code == 0, output);
            Assert.Contains(": ok (opset 17", output);
        }
        finally { File.Delete(path); }
    }
}
