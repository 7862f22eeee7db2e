using System.Buffers;
using Nonlinear.Kernels;

namespace Nonlinear.Quantization;

/// <summary>
/// A 2-D convolution on codes (groups = 1, zero padding): int8 weights W_q [out, in, kh, kw] with one symmetric scale
/// per output channel, uint8 input codes, computed as im2col on the codes followed by the int8 GEMM, then requantized
/// to uint8 codes exactly as <see cref="QuantizedLinear"/> does (same offsets, multipliers and rounding). Rows are
/// samples in NCHW C-order: [in, H, W] in, [out, H′, W′] out.
/// <para>
/// Padding. A padded position holds the float 0, whose code is the input zero point z_x, so im2col writes z_x there;
/// the accumulator then subtracts z_x·Σ W_q[j, …] for every tap alike, and padded taps contribute exactly 0 — the
/// integer result is that of the float convolution on the dequantized input, with no border special case.
/// </para>
/// </summary>
public sealed class QuantizedConv2d : QuantizedLayer
{
    // Bytes of im2col codes per GEMM call: samples are processed in groups whose patch matrix stays about this size.
    private const int PatchBudget = 1 << 20;

    private readonly Int8PackedWeights _packed;
    private readonly float[] _weightScale, _bias, _multiplier;
    private readonly int[] _offset;
    private readonly ActivationQuantization _output;

    /// <summary>Builds the layer from quantized weights.</summary>
    /// <param name="weight">W_q [outChannels, inChannels, kh, kw] row-major, each in [−127, 127].</param>
    /// <param name="weightScale">Per-output-channel scale [outChannels], finite and &gt; 0.</param>
    /// <param name="bias">Float bias [outChannels].</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="window">Kernel, stride, padding, dilation.</param>
    /// <param name="input">Input codes' quantization.</param>
    /// <param name="output">Output codes' quantization (a convolution never ends the network: the logits come from a Linear).</param>
    /// <exception cref="ArgumentException">Lengths disagree, a code is −128, a scale is not finite and positive, or the window does not fit.</exception>
    public QuantizedConv2d(sbyte[] weight, float[] weightScale, float[] bias, int inChannels, int height, int width, Window2d window,
        ActivationQuantization input, ActivationQuantization output)
        : base(Checked(inChannels, height, width), OutSize(weightScale, height, width, window), input)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        int n = weightScale.Length, k = inChannels * window.Taps;
        if (weight.Length != (long)n * k || bias.Length != n)
            throw new ArgumentException($"QuantizedConv2d [{n}, {inChannels}, {window.KernelH}, {window.KernelW}] needs {n * k} weights and {n} biases; got {weight.Length} and {bias.Length}.");
        if (weight.Any(w => w == sbyte.MinValue)) throw new ArgumentException("symmetric int8 weights lie in [−127, 127]; found −128.", nameof(weight));
        if (weightScale.Any(s => !(s > 0) || !float.IsFinite(s)) || bias.Any(b => !float.IsFinite(b)))
            throw new ArgumentException("weight scales must be finite and > 0, biases finite.");
        if (output.Problem() is { } problem) throw new ArgumentException($"output quantization: {problem}.", nameof(output));
        (InChannels, Height, Width, Window) = (inChannels, height, width, window);
        (OutHeight, OutWidth) = window.OutputSize(height, width);
        _packed = new Int8PackedWeights(weight, n, k);
        (_weightScale, _bias, _output) = ((float[])weightScale.Clone(), (float[])bias.Clone(), output);
        _offset = new int[n];
        _multiplier = new float[n];
        for (int j = 0; j < n; j++)
        {
            // The same integers as QuantizedLinear's code path: bias on the accumulator grid s_x·s_j, then s_x·s_j/s_y.
            double s = (double)input.Scale * _weightScale[j];
            long b = (long)Math.Clamp(Math.Round(_bias[j] / s, MidpointRounding.ToEven), -(1L << 30), 1L << 30);
            _offset[j] = (int)(-(long)input.ZeroPoint * _packed.RowSums[j] + b);
            _multiplier[j] = (float)(s / output.Scale);
        }
    }

    private static int Checked(int c, int h, int w) =>
        c >= 1 && h >= 1 && w >= 1 && (long)c * h * w <= int.MaxValue ? c * h * w
        : throw new ArgumentException($"input shape must be positive; got [{c}, {h}, {w}].");

    private static int OutSize(float[] weightScale, int h, int w, Window2d window)
    {
        ArgumentNullException.ThrowIfNull(weightScale);
        var (oh, ow) = window.OutputSize(h, w);
        return weightScale.Length * oh * ow;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels => _weightScale.Length;
    /// <summary>Input height.</summary>
    public int Height { get; }
    /// <summary>Input width.</summary>
    public int Width { get; }
    /// <summary>Output height.</summary>
    public int OutHeight { get; }
    /// <summary>Output width.</summary>
    public int OutWidth { get; }
    /// <summary>Kernel, stride, padding, dilation.</summary>
    public Window2d Window { get; }
    /// <summary>W_q [out, in, kh, kw] row-major.</summary>
    public ReadOnlyMemory<sbyte> Weight => _packed.RowMajor;
    /// <summary>Per-output-channel weight scales.</summary>
    public ReadOnlyMemory<float> WeightScale => _weightScale;
    /// <summary>Float bias.</summary>
    public ReadOnlyMemory<float> Bias => _bias;
    /// <inheritdoc/>
    public override ActivationQuantization? Output => _output;

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier)
    {
        int positions = OutHeight * OutWidth, n = OutChannels;
        int group = Math.Clamp(PatchBudget / Math.Max(1, positions * _packed.K), 1, Math.Max(1, rows));
        var patches = ArrayPool<byte>.Shared.Rent(group * positions * _packed.K);
        var acc = ArrayPool<int>.Shared.Rent(group * positions * n);
        var codes = ArrayPool<byte>.Shared.Rent(group * positions * n);
        try
        {
            for (int r0 = 0; r0 < rows; r0 += group)
            {
                int g = Math.Min(group, rows - r0), m = g * positions;
                for (int s = 0; s < g; s++)
                    Im2Col(x.Slice((r0 + s) * InFeatures, InFeatures), patches.AsSpan(s * positions * _packed.K, positions * _packed.K));
                Int8Gemm.Multiply(Int8Gemm.PathFor(tier, Input.MaxCode <= 127), patches, m, _packed, acc);
                Int8Requantize.ToUInt8(tier, acc, m, n, _offset, _multiplier, _output.ZeroPoint, codes, _output.MaxCode);
                // [position, channel] per sample → [channel, position] (NCHW).
                for (int s = 0; s < g; s++)
                {
                    var src = codes.AsSpan(s * positions * n, positions * n);
                    var dst = y.Slice((r0 + s) * OutFeatures, OutFeatures);
                    for (int p = 0; p < positions; p++)
                        for (int j = 0; j < n; j++) dst[j * positions + p] = src[p * n + j];
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(patches);
            ArrayPool<int>.Shared.Return(acc);
            ArrayPool<byte>.Shared.Return(codes);
        }
    }

    /// <summary>
    /// The int32 accumulators acc + offset [rows, out, H′, W′] (what <see cref="Run"/> requantizes) for tests: the
    /// exact integer Σ (x_q − z_x)·W_q + round(b/(s_x·s_j)).
    /// </summary>
    internal int[] Accumulate(ReadOnlySpan<byte> x, int rows, SimdTier tier)
    {
        int positions = OutHeight * OutWidth, n = OutChannels, k = _packed.K;
        var patches = new byte[rows * positions * k];
        for (int s = 0; s < rows; s++) Im2Col(x.Slice(s * InFeatures, InFeatures), patches.AsSpan(s * positions * k, positions * k));
        var acc = new int[rows * positions * n];
        Int8Gemm.Multiply(Int8Gemm.PathFor(tier, Input.MaxCode <= 127), patches, rows * positions, _packed, acc);
        var result = new int[acc.Length];
        for (int s = 0; s < rows; s++)
            for (int p = 0; p < positions; p++)
                for (int j = 0; j < n; j++)
                    result[(s * n + j) * positions + p] = unchecked(acc[(s * positions + p) * n + j] + _offset[j]);
        return result;
    }

    // One sample [in, H, W] → patches [H′·W′, in·kh·kw] in the weight's (c, ky, kx) order; outside the image: z_x.
    private void Im2Col(ReadOnlySpan<byte> image, Span<byte> patches)
    {
        var w = Window;
        byte pad = (byte)Input.ZeroPoint;
        int k = _packed.K, row = 0;
        for (int oy = 0; oy < OutHeight; oy++)
            for (int ox = 0; ox < OutWidth; ox++, row++)
            {
                var dst = patches.Slice(row * k, k);
                int t = 0;
                for (int c = 0; c < InChannels; c++)
                    for (int ky = 0; ky < w.KernelH; ky++)
                    {
                        int iy = oy * w.StrideH - w.PadH + ky * w.DilationH;
                        for (int kx = 0; kx < w.KernelW; kx++, t++)
                        {
                            int ix = ox * w.StrideW - w.PadW + kx * w.DilationW;
                            dst[t] = iy >= 0 && iy < Height && ix >= 0 && ix < Width ? image[(c * Height + iy) * Width + ix] : pad;
                        }
                    }
            }
    }

    /// <summary>"QuantizedConv2d(in → out, k×k, int8 per-channel)".</summary>
    public override string ToString() =>
        $"QuantizedConv2d({InChannels} → {OutChannels}, {Window}, input [{InChannels}, {Height}, {Width}], int8 per-channel weights, uint8 out)";
}
