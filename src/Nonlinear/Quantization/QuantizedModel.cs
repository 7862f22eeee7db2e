using System.Buffers;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// An int8 network: the float input is quantized once with <see cref="Input"/>, every layer maps uint8 codes to uint8
/// codes through the int8 GEMM or a lookup table, and the last layer (a <see cref="QuantizedLinear"/> without output
/// quantization) dequantizes to float logits. Built by <see cref="PostTrainingQuantizer"/>; saved and loaded by
/// <see cref="QuantizedModelFile"/>.
/// </summary>
public sealed class QuantizedModel
{
    private readonly QuantizedLayer[] _layers;
    private readonly int _widest;

    /// <summary>A model from its layers; each layer's input quantization must equal its predecessor's output.</summary>
    /// <exception cref="ArgumentException">No layers, widths or quantizations that do not chain, or a last layer that does not output floats.</exception>
    public QuantizedModel(IReadOnlyList<QuantizedLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("a quantized model needs at least one layer.", nameof(layers));
        for (int i = 0; i < layers.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(layers[i], $"layers[{i}]");
            bool last = i == layers.Count - 1;
            if (last != (layers[i].Output is null))
                throw new ArgumentException(last ? $"the last layer must output floats; layer {i} is {layers[i]}." : $"layer {i} ({layers[i]}) outputs floats but is not the last.", nameof(layers));
            if (i > 0 && (layers[i].InFeatures != layers[i - 1].OutFeatures || layers[i].Input != layers[i - 1].Output))
                throw new ArgumentException($"layer {i} takes {layers[i].InFeatures} features quantized with {layers[i].Input}; layer {i - 1} gives {layers[i - 1].OutFeatures} with {layers[i - 1].Output}.", nameof(layers));
        }
        _layers = layers.ToArray();
        _widest = _layers.Max(l => Math.Max(l.InFeatures, l.OutFeatures));
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<QuantizedLayer> Layers => _layers;
    /// <summary>The input's quantization (that of the first layer).</summary>
    public ActivationQuantization Input => _layers[0].Input;
    /// <summary>Input width.</summary>
    public int InFeatures => _layers[0].InFeatures;
    /// <summary>Output width.</summary>
    public int OutFeatures => _layers[^1].OutFeatures;

    /// <summary>Logits [B, OutFeatures] for float inputs [B, InFeatures] (no autograd: inference only).</summary>
    /// <exception cref="ArgumentException">The input is not [B, InFeatures].</exception>
    public Tensor Forward(Tensor x, SimdTier tier = SimdTier.Auto)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Size(1) != InFeatures)
            throw new ArgumentException($"quantized model expects input [B, {InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        int rows = x.Size(0);
        var y = new float[rows * OutFeatures];
        var src = x.Contiguous();
        Forward(src.AsReadOnlySpan(), rows, y, tier);
        return Tensor.FromArray(y, rows, OutFeatures);
    }

    /// <summary>
    /// Span form of <see cref="Forward(Tensor, SimdTier)"/>: <paramref name="x"/> [rows, InFeatures] to <paramref name="y"/> [rows, OutFeatures].
    /// Rows are independent, so a batch is cut into blocks of rows and each block makes the whole pass — quantize, then
    /// every layer's GEMM, requantization and lookup — on one thread, with no barrier between layers and its codes in
    /// that core's cache; threads take blocks as they free up. One row (or a batch too small to cut) runs layer by layer,
    /// each layer splitting only what pays (<see cref="Int8Gemm.SplitMacs"/>). Every code and logit is the same for any
    /// thread count and any blocking: the GEMM is exact and everything after it is per element.
    /// </summary>
    public void Forward(ReadOnlySpan<float> x, int rows, Span<float> y, SimdTier tier = SimdTier.Auto)
    {
        if (rows < 0 || x.Length < (long)rows * InFeatures || y.Length < (long)rows * OutFeatures)
            throw new ArgumentException($"{rows} rows need {rows}·{InFeatures} inputs (have {x.Length}) and {rows}·{OutFeatures} outputs (have {y.Length}).");
        if (rows == 0) return;
        int threads = Parallelism.MaxThreads, block = LayerByLayer ? rows : BlockRows(rows, threads);
        if (block >= rows)
        {
            Pass(x[..(rows * InFeatures)], rows, y[..(rows * OutFeatures)], tier, threads);
            return;
        }
        unsafe
        {
            fixed (float* px = x)
            fixed (float* py = y)
            {
                var job = new BlockJob(this, px, py, rows, block, tier);
                Parallelism.For((rows + block - 1) / block, job.Run);
            }
        }
    }

    /// <summary>The schedule before row blocks (each layer over the whole batch, split inside its GEMM), for the benchmarks' A/B runs.</summary>
    internal static bool LayerByLayer;

    /// <summary>Rows per block: 64 (a B panel reused across 64 rows; a block's codes stay in L2) on one thread; with more, at least two blocks per thread where the batch allows, in whole 4-row register tiles.</summary>
    internal static int BlockRows(int rows, int threads)
    {
        const int most = 64, tile = 4;
        if (threads <= 1) return Math.Min(rows, most);
        int per = (rows + 2 * threads - 1) / (2 * threads);
        return Math.Min(most, (per + tile - 1) / tile * tile);
    }

    // The whole network over one block of rows, each layer on at most `threads` threads.
    private void Pass(ReadOnlySpan<float> x, int rows, Span<float> y, SimdTier tier, int threads)
    {
        var a = ArrayPool<byte>.Shared.Rent(rows * _widest);
        var b = ArrayPool<byte>.Shared.Rent(rows * _widest);
        try
        {
            Int8Requantize.Quantize(tier, x, Input.Scale, Input.ZeroPoint, a, Input.MaxCode);
            for (int i = 0; i < _layers.Length - 1; i++)
            {
                _layers[i].Run(a, rows, b, tier, threads);
                (a, b) = (b, a);
            }
            _layers[^1].Run(a, rows, y, tier, threads);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(a);
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    // One block of rows per chunk; each chunk runs on one thread (no nested split).
    private sealed unsafe class BlockJob(QuantizedModel model, float* x, float* y, int rows, int block, SimdTier tier)
    {
        public void Run(int chunk)
        {
            int r0 = chunk * block, n = Math.Min(block, rows - r0);
            int inF = model.InFeatures, outF = model.OutFeatures;
            model.Pass(new ReadOnlySpan<float>(x + (long)r0 * inF, n * inF), n, new Span<float>(y + (long)r0 * outF, n * outF), tier, threads: 1);
        }
    }

    /// <summary>Bytes of weights, tables, scales and biases (what the model costs to ship, headers aside).</summary>
    public long ParameterBytes => _layers.Sum(l => l switch
    {
        QuantizedLinear q => (long)q.Weight.Length + 8L * q.OutFeatures,
        QuantizedConv2d c => (long)c.Weight.Length + 8L * c.OutChannels,
        QuantizedActivation t => t.Table.Length,
        _ => 0L,
    });

    /// <summary>One line per layer.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _layers.Select((l, i) => $"{i}: {l}"));
}
