using System.Runtime.InteropServices;
using Google.Protobuf;
using Nonlinear.Export.Proto;
using Nonlinear.IO;
using Nonlinear.Quantization;
using DataType = Nonlinear.Export.Proto.TensorProto.Types.DataType;

namespace Nonlinear.Export;

/// <summary>
/// Writes an int8 <see cref="QuantizedModel"/> as ONNX in QDQ form (the format ONNX Runtime's quantization tool writes):
/// the float input goes through QuantizeLinear (uint8, the model's input scale and zero point); each Linear layer is
/// DequantizeLinear of its uint8 input codes, DequantizeLinear of its weights (per-axis scales, axis 0; int8 with zero
/// point 0 after 7-bit input codes, otherwise uint8 with zero point 128, see <see cref="Linear"/>), a float Gemm (transB = 1) and, unless it is the last layer, QuantizeLinear to its output codes. A hidden layer's
/// bias is int32 on the accumulator's grid, round(b/(s_x·s_w)) dequantized with scale s_x·s_w — what
/// <see cref="QuantizedLinear"/> adds to its accumulator; the last layer's bias is float, as ours. Activations are their
/// 256-entry tables applied to the codes exactly: Cast to int32 (plus c·256 per feature for per-channel tables) and
/// Gather. Float operators between Q and DQ (not QLinearMatMul/MatMulInteger) are the portable form every runtime reads;
/// ORT fuses DQ→Gemm→Q into its integer kernels where it can.
/// </summary>
public static class QdqExporter
{
    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (atomic write); the input is [N, InFeatures].</summary>
    /// <exception cref="InvalidInputException">Opset outside the exporter's range.</exception>
    public static OnnxExportResult Export(QuantizedModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (proto, counts, opset) = Build(model, options);
        AtomicFile.Write(path, s => proto.WriteTo(s));
        return new OnnxExportResult(path, new FileInfo(path).Length, opset, counts, [model.OutFeatures]);
    }

    /// <summary>The ONNX file's bytes (what <see cref="Export"/> writes).</summary>
    public static byte[] ToBytes(QuantizedModel model, OnnxExportOptions? options = null) => Build(model, options).Model.ToByteArray();

    private static (ModelProto Model, IReadOnlyDictionary<string, int> OpCounts, int Opset) Build(QuantizedModel model, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        if (options.Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            throw new InvalidInputException($"opset must be in [{OnnxExportOptions.MinOpset}, {OnnxExportOptions.MaxOpset}]; got {options.Opset}.", nameof(options));
        var g = new OnnxGraphBuilder(options.Opset);
        var x = g.Input(options.InputName, [model.InFeatures]);
        var codes = Quantize(g, x, model.Input);
        OnnxValue result = default;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            using var _ = g.Scope($"{i}");
            switch (model.Layers[i])
            {
                case QuantizedLinear l when l.Output is { } o:
                    codes = Quantize(g, Linear(g, codes, l, floatOut: false), o);
                    break;
                case QuantizedLinear l:
                    result = Linear(g, codes, l, floatOut: true);
                    break;
                case QuantizedActivation a:
                    codes = Table(g, codes, a);
                    break;
                default: throw new NotSupportedException($"layer {i} is a {model.Layers[i].GetType().Name}, which has no QDQ form.");
            }
        }
        g.Output(result, options.OutputName, [model.OutFeatures]);
        var proto = new ModelProto
        {
            IrVersion = OnnxExporter.IrVersionFor(options.Opset),
            ProducerName = "Nonlinear",
            ProducerVersion = typeof(QdqExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = g.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        return (proto, new SortedDictionary<string, int>(g.OpCounts.ToDictionary(), StringComparer.Ordinal), options.Opset);
    }

    // 7-bit codes (reduce_range) have no ONNX type: a Clip to the value of code MaxCode first makes uint8
    // QuantizeLinear saturate there (round(x/s) is monotone and fl(s·(MaxCode − z))/s rounds to MaxCode − z).
    private static OnnxValue Quantize(OnnxGraphBuilder g, OnnxValue x, ActivationQuantization q)
    {
        if (q.MaxCode != 255)
            x = g.Node("Clip", [x, g.Scalar((float)((double)q.Scale * -q.ZeroPoint)), g.Scalar((float)((double)q.Scale * (q.MaxCode - q.ZeroPoint)))]);
        return g.Node("QuantizeLinear", [x, g.Scalar(q.Scale), ZeroPoint(g, q)]);
    }

    private static OnnxValue Dequantize(OnnxGraphBuilder g, OnnxValue codes, ActivationQuantization q) =>
        g.Node("DequantizeLinear", [codes, g.Scalar(q.Scale), ZeroPoint(g, q)]);

    private static OnnxValue ZeroPoint(OnnxGraphBuilder g, ActivationQuantization q) =>
        g.Raw("zero_point", DataType.Uint8, [(byte)q.ZeroPoint]);

    private static OnnxValue Linear(OnnxGraphBuilder g, OnnxValue codes, QuantizedLinear l, bool floatOut)
    {
        int n = l.OutFeatures;
        var scales = l.WeightScale.Span;
        // Under 8-bit input codes the weights go out as uint8 with zero point 128 (the same values: s·(w + 128 − 128)).
        // ONNX Runtime fuses DQ→Gemm into integer kernels, and its u8·s8 kernels on AVX2/AVX-512 without VNNI use
        // vpmaddubsw, whose int16 pair sums saturate for codes above 127 against large weights (ORT's own note on its
        // u8s8→u8u8 conversion; the cause of the up-to-0.6 logit deviations multi-layer files showed at full
        // optimisation). Its u8·u8 kernels do not saturate. Under 7-bit codes (reduce_range) u8·s8 is exact: int8.
        bool unsigned = l.Input.MaxCode > 127;
        var wcodes = MemoryMarshal.AsBytes(l.Weight.Span).ToArray();
        if (unsigned) for (int i = 0; i < wcodes.Length; i++) wcodes[i] = (byte)((sbyte)wcodes[i] + 128);
        var zeroPoints = new byte[n];
        if (unsigned) Array.Fill(zeroPoints, (byte)128);
        var type = unsigned ? DataType.Uint8 : DataType.Int8;
        var w = g.Raw("weight", type, wcodes, n, l.InFeatures);
        var wf = g.Node("DequantizeLinear", [w, g.Initializer("weight_scale", scales, n), g.Raw("weight_zero_point", type, zeroPoints, n)],
            [OnnxGraphBuilder.IntAttr("axis", 0)]);
        OnnxValue bias;
        if (floatOut) bias = g.Initializer("bias", l.Bias.Span, n);
        else
        {
            // The same integers QuantizedLinear adds to its accumulator: round(b/(s_x·s_j)), half to even, in double.
            var q = new int[n];
            var s = new float[n];
            for (int j = 0; j < n; j++)
            {
                double step = (double)l.Input.Scale * scales[j];
                q[j] = (int)Math.Clamp(Math.Round(l.Bias.Span[j] / step, MidpointRounding.ToEven), -(1L << 30), 1L << 30);
                s[j] = (float)step;
            }
            bias = g.Node("DequantizeLinear", [g.Raw("bias", DataType.Int32, MemoryMarshal.AsBytes(q.AsSpan()), n), g.Initializer("bias_scale", s, n),
                g.Raw("bias_zero_point", DataType.Int32, new byte[4 * n], n)], [OnnxGraphBuilder.IntAttr("axis", 0)]);
        }
        return g.Node("Gemm", [Dequantize(g, codes, l.Input), wf, bias], [OnnxGraphBuilder.IntAttr("transB", 1)]);
    }

    // table[c·256 + code] for feature f with c = f mod channels: exact on codes, as Int8Requantize.Lookup.
    private static OnnxValue Table(OnnxGraphBuilder g, OnnxValue codes, QuantizedActivation a)
    {
        var index = g.Node("Cast", [codes], [OnnxGraphBuilder.IntAttr("to", (long)DataType.Int32)]);
        if (a.Channels > 1)
        {
            var offsets = new int[a.InFeatures];
            for (int f = 0; f < offsets.Length; f++) offsets[f] = f % a.Channels * 256;
            index = g.Node("Add", [index, g.Raw("table_offset", DataType.Int32, MemoryMarshal.AsBytes(offsets.AsSpan()), offsets.Length)]);
        }
        var table = g.Raw("table", DataType.Uint8, a.Table.Span, a.Table.Length);
        return g.Node("Gather", [table, index], [OnnxGraphBuilder.IntAttr("axis", 0)]);
    }
}
