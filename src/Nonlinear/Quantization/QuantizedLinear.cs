using System.Buffers;
using Nonlinear.Kernels;

namespace Nonlinear.Quantization;

/// <summary>
/// y = x·Wᵀ + b on codes: int8 weights W_q [out, in] with one symmetric scale per output channel (W ≈ WeightScale[j]·W_q[j, :],
/// codes in [−127, 127]), uint8 input codes (per-tensor asymmetric, <see cref="QuantizedLayer.Input"/>), an exact int32
/// accumulator from the int8 GEMM, then either requantized to uint8 codes (<see cref="Output"/>) or dequantized to
/// float (the last layer). Arithmetic, with s_x, z_x the input's scale and zero point and s_j = WeightScale[j]:
/// <code>
/// acc[j]   = Σₖ x_q[k]·W_q[j, k] − z_x·Σₖ W_q[j, k]
/// codes:  y_q[j] = clamp(round(float(acc[j] + round(b[j] / (s_x·s_j))) · (s_x·s_j / s_y)) + z_y, 0, 255)
/// floats: y[j]   = float(acc[j])·(s_x·s_j) + b[j]
/// </code>
/// Input codes of at most 7 bits (<see cref="ActivationQuantization.MaxCode"/> 127, reduce_range) take AVX2's u8·s8
/// vpmaddubsw route; 8-bit codes the same instruction on codes shifted by −128 with the weights' signs moved onto them
/// (the sign route, which is why weights stay in [−127, 127]); both exact.
/// The bias enters the code path as int32 with scale s_x·s_j, ONNX's QDQ convention (QLinearMatMul/QGemm), so an
/// exported QDQ graph holds the same integers.
/// </summary>
public sealed class QuantizedLinear : QuantizedLayer
{
    private readonly Int8PackedWeights _packed;
    private readonly float[] _weightScale, _bias, _multiplier;
    private readonly int[] _offset;
    private readonly ActivationQuantization? _output;

    /// <summary>Builds the layer from quantized weights.</summary>
    /// <param name="weight">W_q [outFeatures, inFeatures] row-major, each in [−127, 127].</param>
    /// <param name="weightScale">Per-output-channel scale, finite and &gt; 0.</param>
    /// <param name="bias">Float bias [outFeatures].</param>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="input">Input codes' quantization.</param>
    /// <param name="output">Output codes' quantization, or null for float output.</param>
    /// <exception cref="ArgumentException">Lengths disagree, a code is −128, or a scale is not finite and positive.</exception>
    public QuantizedLinear(sbyte[] weight, float[] weightScale, float[] bias, int inFeatures, ActivationQuantization input, ActivationQuantization? output)
        : base(inFeatures, weightScale?.Length ?? 0, input)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(weightScale);
        ArgumentNullException.ThrowIfNull(bias);
        int n = OutFeatures;
        if (weight.Length != (long)n * inFeatures || bias.Length != n)
            throw new ArgumentException($"QuantizedLinear [{n}, {inFeatures}] needs {n * inFeatures} weights and {n} biases; got {weight.Length} and {bias.Length}.");
        if (weight.Any(w => w == sbyte.MinValue)) throw new ArgumentException("symmetric int8 weights lie in [−127, 127]; found −128.", nameof(weight));
        if (weightScale.Any(s => !(s > 0) || !float.IsFinite(s)) || bias.Any(b => !float.IsFinite(b)))
            throw new ArgumentException("weight scales must be finite and > 0, biases finite.");
        if (output?.Problem() is { } problem) throw new ArgumentException($"output quantization: {problem}.", nameof(output));
        _packed = new Int8PackedWeights(weight, n, inFeatures);
        (_weightScale, _bias, _output) = ((float[])weightScale.Clone(), (float[])bias.Clone(), output);
        _offset = new int[n];
        _multiplier = new float[n];
        for (int j = 0; j < n; j++)
        {
            double s = (double)input.Scale * _weightScale[j];
            long zeroCorrection = -(long)input.ZeroPoint * _packed.RowSums[j];
            if (output is { } q)
            {
                long b = (long)Math.Clamp(Math.Round(_bias[j] / s, MidpointRounding.ToEven), -(1L << 30), 1L << 30);
                _offset[j] = (int)(zeroCorrection + b);
                _multiplier[j] = (float)(s / q.Scale);
            }
            else
            {
                _offset[j] = (int)zeroCorrection;
                _multiplier[j] = (float)s;
            }
        }
    }

    /// <summary>
    /// Quantizes float weights W [outFeatures, inFeatures] per output channel, symmetric: s_j = max|W[j, :]|/127 (1 for
    /// an all-zero row), W_q = round(W/s_j) (half to even).
    /// </summary>
    public static QuantizedLinear FromFloat(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures,
        ActivationQuantization input, ActivationQuantization? output)
    {
        var (q, s) = QuantizeWeights(weight, outFeatures, inFeatures);
        return new QuantizedLinear(q, s, bias.ToArray(), inFeatures, input, output);
    }

    /// <summary>Per-channel symmetric int8 codes and scales of W [outFeatures, inFeatures].</summary>
    public static (sbyte[] Codes, float[] Scales) QuantizeWeights(ReadOnlySpan<float> weight, int outFeatures, int inFeatures)
    {
        if (outFeatures < 1 || inFeatures < 1 || weight.Length != (long)outFeatures * inFeatures)
            throw new ArgumentException($"weights must be [{outFeatures}, {inFeatures}]; got {weight.Length} values.", nameof(weight));
        var codes = new sbyte[weight.Length];
        var scales = new float[outFeatures];
        for (int j = 0; j < outFeatures; j++)
        {
            var row = weight.Slice(j * inFeatures, inFeatures);
            float max = 0;
            foreach (float w in row)
            {
                if (!float.IsFinite(w)) throw new ArgumentException($"weight row {j} holds {w}; weights must be finite.", nameof(weight));
                max = Math.Max(max, Math.Abs(w));
            }
            float s = max > 0 ? max / 127 : 1f;
            scales[j] = s;
            for (int k = 0; k < inFeatures; k++)
                codes[j * inFeatures + k] = (sbyte)Math.Clamp(MathF.Round(row[k] / s), -127, 127);
        }
        return (codes, scales);
    }

    /// <summary>W_q [OutFeatures, InFeatures] row-major.</summary>
    public ReadOnlyMemory<sbyte> Weight => _packed.RowMajor;
    /// <summary>Per-output-channel weight scales.</summary>
    public ReadOnlyMemory<float> WeightScale => _weightScale;
    /// <summary>Float bias.</summary>
    public ReadOnlyMemory<float> Bias => _bias;
    /// <inheritdoc/>
    public override ActivationQuantization? Output => _output;

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier) => Run(x, rows, y, tier, Parallelism.MaxThreads);

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<float> y, SimdTier tier) => Run(x, rows, y, tier, Parallelism.MaxThreads);

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier, int threads)
    {
        if (_output is not { } o) throw new InvalidOperationException("this QuantizedLinear outputs floats.");
        var acc = ArrayPool<int>.Shared.Rent(rows * OutFeatures);
        try
        {
            Int8Gemm.Multiply(Int8Gemm.PathFor(tier, Input.MaxCode <= 127), x, rows, _packed, acc, threads);
            Int8Requantize.ToUInt8(tier, acc, rows, OutFeatures, _offset, _multiplier, o.ZeroPoint, y, o.MaxCode);
        }
        finally { ArrayPool<int>.Shared.Return(acc); }
    }

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<float> y, SimdTier tier, int threads)
    {
        if (_output is not null) throw new InvalidOperationException("this QuantizedLinear outputs codes.");
        var acc = ArrayPool<int>.Shared.Rent(rows * OutFeatures);
        try
        {
            Int8Gemm.Multiply(Int8Gemm.PathFor(tier, Input.MaxCode <= 127), x, rows, _packed, acc, threads);
            Int8Requantize.ToFloat(tier, acc, rows, OutFeatures, _offset, _multiplier, _bias, y);
        }
        finally { ArrayPool<int>.Shared.Return(acc); }
    }

    /// <summary>"Linear(in → out, int8 per-channel, codes|float out)".</summary>
    public override string ToString() => $"QuantizedLinear({InFeatures} → {OutFeatures}, int8 per-channel weights, {(_output is null ? "float" : "uint8")} out)";
}
