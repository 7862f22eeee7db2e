using Google.Protobuf;
using Nonlinear.Export.Proto;
using Nonlinear.IO;
using Nonlinear.Layers;

namespace Nonlinear.Export;

/// <summary>
/// Writes a model as an ONNX file (torch.onnx.export's role): every layer in <c>Nonlinear.Layers</c>, every catalog
/// activation and learnable unit, KAN layers and networks, the MLP/CNN/KAN model kinds. Inference semantics: Dropout
/// is the identity and BatchNorm uses its running statistics, whatever mode the model is in. Activations become native
/// ONNX operators where ONNX has our definition at the chosen opset, otherwise their formula in primitive operators;
/// KAN layers become their basis expansion followed by one MatMul. The tests run every export in ONNX Runtime
/// against the model's own output.
/// </summary>
/// <example><code>
/// var r = OnnxExporter.Export(model, [784], "mlp.onnx");   // r.OpCounts["Gemm"] == 3 for a 3-layer MLP
/// </code></example>
/// <remarks>
/// Layering: Export sits with Training (level 6 of LayeringTests) because it walks Layers, Kan and Models types.
/// The ONNX protobuf classes are generated from onnx.proto3 (onnx v1.20.1) by Grpc.Tools at build time and are internal.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Exports <paramref name="model"/> for inputs of shape [N, <paramref name="inputShape"/>…] to <paramref name="path"/> (atomic write).</summary>
    /// <exception cref="InvalidInputException">Opset outside [17, 21], or an empty or non-positive input shape.</exception>
    /// <exception cref="NotSupportedException">A module type (or KAN symbolic edge) that has no ONNX form; the message names it.</exception>
    public static OnnxExportResult Export(Module model, IReadOnlyList<int> inputShape, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (proto, counts, outDims, opset) = Build(model, inputShape, options);
        AtomicFile.Write(path, s => proto.WriteTo(s));
        return new OnnxExportResult(path, new FileInfo(path).Length, opset, counts, outDims);
    }

    /// <summary>The ONNX file's bytes (what <see cref="Export"/> writes).</summary>
    /// <exception cref="InvalidInputException">As <see cref="Export"/>.</exception>
    /// <exception cref="NotSupportedException">As <see cref="Export"/>.</exception>
    public static byte[] ToBytes(Module model, IReadOnlyList<int> inputShape, OnnxExportOptions? options = null) =>
        Build(model, inputShape, options).Model.ToByteArray();

    internal static (ModelProto Model, IReadOnlyDictionary<string, int> OpCounts, int[] OutputDims, int Opset) Build(
        Module model, IReadOnlyList<int> inputShape, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        options ??= new OnnxExportOptions();
        if (options.Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            throw new InvalidInputException($"opset must be in [{OnnxExportOptions.MinOpset}, {OnnxExportOptions.MaxOpset}]; got {options.Opset}.", nameof(options));
        if (inputShape.Count == 0 || inputShape.Any(d => d <= 0))
            throw new InvalidInputException($"input shape (without the batch dimension) must be non-empty and positive; got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        var g = new OnnxGraphBuilder(options.Opset);
        var x = new OnnxTensor(g.Input(options.InputName, [.. inputShape]), [.. inputShape]);
        var y = ModuleExports.Apply(model, x);
        g.Output(y.Value, options.OutputName, y.Dims);
        var proto = new ModelProto
        {
            IrVersion = IrVersionFor(options.Opset),
            ProducerName = "Nonlinear",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = g.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        var counts = new SortedDictionary<string, int>(g.OpCounts.ToDictionary(), StringComparer.Ordinal);
        return (proto, counts, y.Dims, options.Opset);
    }

    // The IR version each opset was released with (onnx/docs/Versioning.md): an older reader accepts the file when it knows the opset.
    internal static long IrVersionFor(int opset) => opset switch
    {
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
