using Microsoft.ML.OnnxRuntime;
using Nonlinear.Export;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Export;

/// <summary>The `lm train` transformer exported as ONNX, run in ONNX Runtime against our logits, and through onnx.checker.</summary>
public sealed class TransformerOrtTests
{
    private static DecoderTransformer Model(string mlp, PositionEncoding position, NormKind norm, bool tied, bool attentionBias, ulong seed)
    {
        // σ = 0.2 (ten times GPT-2's) so attention patterns are far from uniform and every part moves the logits.
        var config = new TransformerConfig(23, 2, 32, 4, 16)
        {
            Mlp = MlpSpec.Parse(mlp), Position = position, Norm = norm, TieWeights = tied, AttentionBias = attentionBias, InitStd = 0.2,
        };
        var model = new DecoderTransformer(config, new Rng(seed));
        model.Eval();
        return model;
    }

    internal static float[] RunOrt(byte[] onnx, long[] ids, int batch, int time, int vocab)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        var output = new float[batch * time * vocab];
        using var xv = OrtValue.CreateTensorValueFromMemory(ids, [batch, time]);
        using var yv = OrtValue.CreateTensorValueFromMemory(output, [batch, time, vocab]);
        using var run = new RunOptions();
        session.Run(run, ["input_ids"], [xv], ["logits"], [yv]);
        return output;
    }

    public static TheoryData<string, PositionEncoding, NormKind, bool, bool> Kinds => new()
    {
        { "gelu", PositionEncoding.Learned, NormKind.LayerNorm, true, true },
        { "swiglu", PositionEncoding.Rotary, NormKind.RmsNorm, false, false },
        { "bilinear", PositionEncoding.Sinusoidal, NormKind.RmsNorm, true, true },
        { "relu2", PositionEncoding.Rotary, NormKind.None, true, true },
        { "glu(elu)", PositionEncoding.Learned, NormKind.LayerNorm, false, true },
        { "geglu", PositionEncoding.Sinusoidal, NormKind.LayerNorm, true, false },
    };

    /// <summary>
    /// ORT's logits equal ours for every position encoding, norm and MLP kind, at two sequence lengths below the context
    /// (the causal mask, positions and RoPE tables are sliced to T in the graph). Tolerance 2e-5 + 2e-5·|y|: both sides
    /// are float32 with different summation orders (GEMM blocking, Softmax, LayerNorm's and our RMSNorm's statistics in
    /// double) through two blocks; an off-by-one position, an unmasked future key or a swapped RoPE pair moves logits by
    /// 1e-2 or more at σ = 0.2.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void OrtLogitsEqualOurs(string mlp, PositionEncoding position, NormKind norm, bool tied, bool attentionBias)
    {
        var model = Model(mlp, position, norm, tied, attentionBias, 7);
        var bytes = TransformerExport.ToBytes(model);
        var rng = new Rng(11);
        foreach (int time in new[] { 16, 5 })
        {
            const int batch = 3;
            var ids = Enumerable.Range(0, batch * time).Select(_ => rng.NextInt(23)).ToArray();
            var want = model.Logits(ids, batch, time).ToArray();
            var got = RunOrt(bytes, ids.Select(i => (long)i).ToArray(), batch, time, 23);
            double spread = want.Max() - want.Min();
            Assert.True(spread > 1, $"logits barely vary ({spread}); the comparison would not test much");
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(want[i] - got[i]) <= 2e-5 + 2e-5 * Math.Abs(want[i]), $"{mlp}/{position}/{norm} T={time} logit {i}: ORT {got[i]}, ours {want[i]}");
        }
    }

    [Fact]
    public void TheGraphUsesTheNamedOperators()
    {
        var model = Model("swiglu", PositionEncoding.Rotary, NormKind.RmsNorm, true, true, 1);
        string path = Path.Combine(Path.GetTempPath(), $"lm-{Guid.NewGuid():N}.onnx");
        try
        {
            var r = TransformerExport.Export(model, path);
            Assert.Equal(2, r.OpCounts["Softmax"]);
            Assert.Equal(2 * 2 + 1, r.OpCounts["MatMul"] - 2 * 4);   // QKᵀ and PV per block, plus the tied head; 4 Linear MatMuls per block
            Assert.Equal(2 * 2 + 1, r.OpCounts["ReduceMean"]);          // RMSNorm decomposed: norm1, norm2 per block and the final norm
            Assert.Equal(1, r.OpCounts["Gather"]);
            Assert.False(r.OpCounts.ContainsKey("LayerNormalization"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ALearnableMlpActivationIsRefusedByName()
    {
        var config = new TransformerConfig(10, 1, 8, 2, 4) { Mlp = MlpSpec.Parse("prelu") };
        var e = Assert.Throws<NotSupportedException>(() => TransformerExport.ToBytes(new DecoderTransformer(config, new Rng(1))));
        Assert.Contains("prelu", e.Message);
    }

    /// <summary>tools/onnx/check_model.py (onnx.checker, full_check with shape inference) passes the exported transformers at opset 17.</summary>
    [OnnxCheckerFact]
    public void ExportedTransformersPassTheChecker()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nonlinear-onnx-lm-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var files = new List<string>();
            int n = 0;
            foreach (var row in Kinds)
            {
                var (mlp, position, norm, tied, bias) = ((string)row[0], (PositionEncoding)row[1], (NormKind)row[2], (bool)row[3], (bool)row[4]);
                files.Add(TransformerExport.Export(Model(mlp, position, norm, tied, bias, 3), Path.Combine(dir, $"lm{n++}.onnx"), new OnnxExportOptions { Opset = 17 }).Path);
            }
            var (code, output) = OnnxCheckerTests.Python([OnnxCheckerTests.Script(), .. files]);
            Assert.True(code == 0, output);
            Assert.Equal(files.Count, output.Split('\n').Count(l => l.Contains(": ok (opset 17")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
