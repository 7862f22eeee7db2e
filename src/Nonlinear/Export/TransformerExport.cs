using Google.Protobuf;
using Nonlinear.Export.Proto;
using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Layers.Transformer;
using static Nonlinear.Export.OnnxGraphBuilder;

namespace Nonlinear.Export;

/// <summary>
/// Writes a <see cref="DecoderTransformer"/> (an `lm train` model) as ONNX: input "input_ids" int64 [N, T], output
/// "logits" float [N, T, Vocab], N and T symbolic (T ≤ the context). Embedding as Gather; learned or sinusoidal
/// positions as a sliced initializer; per block LayerNormalization or RMSNorm decomposed (x·(mean(x²) + ε)^(−½)·γ),
/// qkv and output projections as MatMul (+ bias), RoPE as the interleaved rotation with cos/sin tables sliced to T,
/// attention as MatMul → ·1/√hd → + causal mask (a constant [ctx, ctx] of 0 and −∞ sliced to [T, T]) → Softmax →
/// MatMul, the MLP kinds (plain with any catalog activation, the GLU family, bilinear), residual Adds; the final norm
/// and the head (tied: the embedding's transpose, sharing its initializer). Dropout is the identity (inference).
/// </summary>
public static class TransformerExport
{
    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (atomic write).</summary>
    /// <exception cref="InvalidInputException">Opset outside the supported range.</exception>
    /// <exception cref="NotSupportedException">A part without an ONNX form here (a learnable activation in the MLP); the message names it.</exception>
    public static OnnxExportResult Export(DecoderTransformer model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (proto, counts, opset) = Build(model, options);
        AtomicFile.Write(path, s => proto.WriteTo(s));
        var c = model.Config;
        return new OnnxExportResult(path, new FileInfo(path).Length, opset, counts, [c.Context, c.Vocab]);
    }

    /// <summary>The ONNX file's bytes (what <see cref="Export"/> writes).</summary>
    public static byte[] ToBytes(DecoderTransformer model, OnnxExportOptions? options = null) => Build(model, options).Model.ToByteArray();

    private static (ModelProto Model, IReadOnlyDictionary<string, int> OpCounts, int Opset) Build(DecoderTransformer model, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        if (options.Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            throw new InvalidInputException($"opset must be in [{OnnxExportOptions.MinOpset}, {OnnxExportOptions.MaxOpset}]; got {options.Opset}.", nameof(options));
        var c = model.Config;
        var g = new OnnxGraphBuilder(options.Opset);
        var ids = g.Input("input_ids", TensorProto.Types.DataType.Int64, ["N", "T"]);
        var time = g.Node("Shape", [ids], [IntAttr("start", 1), IntAttr("end", 2)]);   // [T] as int64 [1]
        var emb = ModuleExports.Weight(g, "tok_emb", model.TokenEmbedding.Weight);
        var h = g.Node("Gather", [emb, ids], [IntAttr("axis", 0)]);
        var positions = model.NamedParameters().Concat(model.NamedBuffers()).FirstOrDefault(p => p.Name is "pos_emb" or "pos_table");
        if (positions.Tensor is not null)
            h = h + SliceRows(g, ModuleExports.Weight(g, positions.Name, positions.Tensor), time, 1);
        var mask = CausalMask(g, c.Context, time);
        for (int i = 0; i < c.Layers; i++)
        {
            using var _ = g.Scope($"blocks.{i}");
            var block = (TransformerBlock)model.Blocks[i];
            var a = Attention(g, block.Attention, Norm(g, block, "norm1", h), mask, time, c.Context);
            h = h + a;
            h = h + Mlp(g, block.Mlp, Norm(g, block, "norm2", h));
        }
        h = Norm(g, model, "norm_f", h);
        OnnxValue logits = c.TieWeights
            ? g.Node("MatMul", [h, g.Node("Transpose", [emb], [IntsAttr("perm", 1, 0)])])
            : ModuleExports.Apply(model.GetSubmodule("head"), new OnnxTensor(h, [-1, c.Width])).Value;
        g.Output(logits, "logits", ["N", "T", c.Vocab]);
        var proto = new ModelProto
        {
            IrVersion = OnnxExporter.IrVersionFor(options.Opset),
            ProducerName = "Nonlinear",
            ProducerVersion = typeof(TransformerExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = g.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        return (proto, new SortedDictionary<string, int>(g.OpCounts.ToDictionary(), StringComparer.Ordinal), options.Opset);
    }

    // The first T entries of a table along axis 0 (axes = 1) or along axes 0 and 1 (axes = 2, a [T, T] corner).
    private static OnnxValue SliceRows(OnnxGraphBuilder g, OnnxValue table, OnnxValue time, int axes) =>
        axes == 1 ? g.Node("Slice", [table, g.Int64s("starts", 0), time, g.Int64s("axes", 0)])
            : g.Node("Slice", [table, g.Int64s("starts", 0, 0), g.Node("Concat", [time, time], [IntAttr("axis", 0)]), g.Int64s("axes", 0, 1)]);

    // mask[i, j] = 0 for j ≤ i, −∞ after: added to the scores, Softmax gives the later keys exactly 0.
    private static OnnxValue CausalMask(OnnxGraphBuilder g, int context, OnnxValue time)
    {
        var m = new float[context * context];
        for (int i = 0; i < context; i++)
            for (int j = i + 1; j < context; j++) m[i * context + j] = float.NegativeInfinity;
        return SliceRows(g, g.Initializer("causal_mask", m, context, context), time, 2);
    }

    private static OnnxValue Norm(OnnxGraphBuilder g, Module owner, string name, OnnxValue x)
    {
        var norm = owner.NamedChildren().FirstOrDefault(ch => ch.Name == name).Module;
        using var _ = g.Scope(name);
        return norm switch
        {
            null => x,
            RmsNorm r => RmsNorm(g, r, x),
            _ => ModuleExports.Apply(norm, new OnnxTensor(x, [-1, -1])).Value,
        };
    }

    // y = x · (mean(x²) + ε)^(−½) · γ over the last axis (ReduceMean takes its axes as an input from opset 18).
    private static OnnxValue RmsNorm(OnnxGraphBuilder g, RmsNorm r, OnnxValue x)
    {
        var sq = x * x;
        var mean = g.Opset >= 18
            ? g.Node("ReduceMean", [sq, g.Int64s("axes", -1)], [IntAttr("keepdims", 1)])
            : g.Node("ReduceMean", [sq], [IntsAttr("axes", -1), IntAttr("keepdims", 1)]);
        var inv = 1.0 / (mean + r.Eps).Sqrt();
        return x * inv * ModuleExports.Weight(g, "weight", r.Weight);
    }

    private static OnnxValue Attention(OnnxGraphBuilder g, CausalSelfAttention att, OnnxValue x, OnnxValue mask, OnnxValue time, int context)
    {
        using var _ = g.Scope("attn");
        int d = att.Width, heads = att.Heads, hd = d / heads;
        var qkv = Linear(g, "qkv", att.Qkv, x);
        if (att.Rotary) qkv = Rope(g, qkv, d, hd, context, time);
        OnnxValue Part(int k)
        {
            var part = g.Node("Slice", [qkv, g.Int64s("starts", k * d), g.Int64s("ends", (k + 1) * d), g.Int64s("axes", -1)]);
            var split = g.Node("Reshape", [part, g.Int64s("shape", 0, 0, heads, hd)]);
            return g.Node("Transpose", [split], [IntsAttr("perm", 0, 2, 1, 3)]);   // [N, H, T, hd]
        }
        var (q, k, v) = (Part(0), Part(1), Part(2));
        var scores = g.Node("MatMul", [q, g.Node("Transpose", [k], [IntsAttr("perm", 0, 1, 3, 2)])]) * (1f / MathF.Sqrt(hd));
        var p = g.Node("Softmax", [scores + mask], [IntAttr("axis", -1)]);
        var y = g.Node("Transpose", [g.Node("MatMul", [p, v])], [IntsAttr("perm", 0, 2, 1, 3)]);
        return Linear(g, "proj", att.Proj, g.Node("Reshape", [y, g.Int64s("shape", 0, 0, d)]));
    }

    // RoPE on the q and k thirds: their 2D columns as D pairs (a, b) ↦ (a·cos − b·sin, a·sin + b·cos), pair j of a head
    // rotated by t·θ_(j mod hd/2), θᵢ = base^(−2i/hd); tables [ctx, D, 1] computed in double as RotaryEmbedding's.
    private static OnnxValue Rope(OnnxGraphBuilder g, OnnxValue qkv, int d, int hd, int context, OnnxValue time)
    {
        var cos = new float[context * d];
        var sin = new float[context * d];
        for (int t = 0; t < context; t++)
            for (int j = 0; j < d; j++)
            {
                double angle = t * Math.Pow(RotaryEmbedding.DefaultBase, -2.0 * (j % (hd / 2)) / hd);
                (cos[t * d + j], sin[t * d + j]) = ((float)Math.Cos(angle), (float)Math.Sin(angle));
            }
        var ct = SliceRows(g, g.Initializer("rope_cos", cos, context, d, 1), time, 1);
        var st = SliceRows(g, g.Initializer("rope_sin", sin, context, d, 1), time, 1);
        var qk = g.Node("Slice", [qkv, g.Int64s("starts", 0), g.Int64s("ends", 2 * d), g.Int64s("axes", -1)]);
        var pairs = g.Node("Reshape", [qk, g.Int64s("shape", 0, 0, d, 2)]);
        var a = g.Node("Slice", [pairs, g.Int64s("starts", 0), g.Int64s("ends", 1), g.Int64s("axes", -1)]);
        var b = g.Node("Slice", [pairs, g.Int64s("starts", 1), g.Int64s("ends", 2), g.Int64s("axes", -1)]);
        var rotated = g.Node("Concat", [a * ct - b * st, a * st + b * ct], [IntAttr("axis", -1)]);
        var v = g.Node("Slice", [qkv, g.Int64s("starts", 2 * d), g.Int64s("ends", 3 * d), g.Int64s("axes", -1)]);
        return g.Node("Concat", [g.Node("Reshape", [rotated, g.Int64s("shape", 0, 0, 2 * d)]), v], [IntAttr("axis", -1)]);
    }

    private static OnnxValue Mlp(OnnxGraphBuilder g, FeedForward mlp, OnnxValue x)
    {
        using var _ = g.Scope("mlp");
        var u = Linear(g, "fc_in", mlp.In, x);
        var act = mlp.Spec.Activation;
        if (act is { IsLearnable: true })
            throw new NotSupportedException($"ONNX export of the transformer: the MLP's learnable activation '{act}' has no export here (catalog activations and the GLU kinds do).");
        OnnxValue hidden;
        if (!mlp.Spec.IsGated) hidden = ActivationExports.Apply(act!.Fixed!, u);
        else
        {
            int hw = mlp.Hidden;
            var gate = g.Node("Slice", [u, g.Int64s("starts", 0), g.Int64s("ends", hw), g.Int64s("axes", -1)]);
            var value = g.Node("Slice", [u, g.Int64s("starts", hw), g.Int64s("ends", 2 * hw), g.Int64s("axes", -1)]);
            hidden = (act is null ? gate : ActivationExports.Apply(act.Fixed!, gate)) * value;
        }
        return Linear(g, "fc_out", mlp.Out, hidden);
    }

    private static OnnxValue Linear(OnnxGraphBuilder g, string name, Linear l, OnnxValue x)
    {
        using var _ = g.Scope(name);
        return ModuleExports.Apply(l, new OnnxTensor(x, [-1, l.InFeatures])).Value;
    }
}
