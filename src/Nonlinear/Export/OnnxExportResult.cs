namespace Nonlinear.Export;

/// <summary>What an export wrote: the file, its size, the opset and how many nodes of each operator the graph has.</summary>
/// <param name="Path">The file written.</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="Opset">The ai.onnx opset of the graph.</param>
/// <param name="OpCounts">Nodes per operator type, e.g. Gemm → 3, Relu → 2 (sorted by name).</param>
/// <param name="OutputShape">The output's shape without the batch dimension.</param>
public sealed record OnnxExportResult(string Path, long Bytes, int Opset, IReadOnlyDictionary<string, int> OpCounts, IReadOnlyList<int> OutputShape);
