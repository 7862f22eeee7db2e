namespace Nonlinear.Quantization;

/// <summary>Settings of post-training quantization.</summary>
public sealed record PtqOptions
{
    /// <summary>How activation ranges are chosen (default min-max).</summary>
    public CalibrationMethod Method { get; init; } = new MinMaxCalibration();
    /// <summary>Apply cross-layer equalization first (needs positively homogeneous activations).</summary>
    public bool Equalize { get; init; }
    /// <summary>Correct each layer's bias for the mean error its quantized weights cause on the calibration inputs.</summary>
    public bool BiasCorrection { get; init; } = true;
    /// <summary>Rows per calibration forward pass.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>"method=minmax, equalize=false, bias_correction=true".</summary>
    public override string ToString() => $"method={Method.Name}, equalize={(Equalize ? "true" : "false")}, bias_correction={(BiasCorrection ? "true" : "false")}";
}
