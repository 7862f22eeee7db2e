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
    /// <summary>
    /// reduce_range (PyTorch's/FBGEMM's name): the inputs of Linear layers get 7-bit codes 0..127 instead of 0..255, so
    /// the int8 GEMM can take AVX2's u8·s8 vpmaddubsw route exactly. Costs half the activation resolution at those
    /// points; activation-table inputs (Linear outputs) keep 8 bits. Recorded in the file.
    /// </summary>
    public bool ReduceRange { get; init; }
    /// <summary>Rows per calibration forward pass.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>"method=minmax, equalize=false, bias_correction=true" (plus ", reduce_range=true" when set).</summary>
    public override string ToString() => $"method={Method.Name}, equalize={(Equalize ? "true" : "false")}, bias_correction={(BiasCorrection ? "true" : "false")}" +
        (ReduceRange ? ", reduce_range=true" : "");
}
