namespace Nonlinear.Export;

/// <summary>
/// Settings of an ONNX export. <see cref="Opset"/> is the ai.onnx operator set: 20 by default (ONNX Runtime 1.32 runs it
/// fully; Gelu is native from 20, Mish from 18); 17 to 21 are accepted. Below 20 GELU is written as x·Φ(x) with Erf.
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>Lowest accepted opset (LayerNormalization is native from 17).</summary>
    public const int MinOpset = 17;

    /// <summary>Highest accepted opset.</summary>
    public const int MaxOpset = 21;

    /// <summary>The default opset.</summary>
    public const int DefaultOpset = 20;

    /// <summary>The ai.onnx opset of the graph, in [<see cref="MinOpset"/>, <see cref="MaxOpset"/>].</summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>Name of the graph input (shape [N, features…]).</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the graph output.</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>"opset=20, input=input, output=output".</summary>
    public override string ToString() => $"opset={Opset}, input={InputName}, output={OutputName}";
}
