using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>How a dynamically quantized layer picks its activation quantization at run time.</summary>
public enum DynamicActivationScale
{
    /// <summary>One uint8 scale and zero point for the whole input tensor (PyTorch's quantize_dynamic, FBGEMM).</summary>
    PerTensor,
    /// <summary>One per input row (a token, in a transformer): an outlier token does not coarsen the others' grid.</summary>
    PerRow,
}

/// <summary>
/// Dynamic quantization of a Linear (torch.ao.quantization.quantize_dynamic's nn.quantized.dynamic.Linear): int8
/// per-channel symmetric weights fixed once; at every call the input's own [min, max] (with 0) sets a uint8
/// quantization — over the whole tensor, or per row with <see cref="DynamicActivationScale.PerRow"/> — the int8 GEMM
/// runs, and the output is float: y[r, j] = s_r·s_j·(Σₖ x_q[r, k]·W_q[j, k] − z_r·Σₖ W_q[j, k]) + b_j. Float in, float
/// out, so it replaces a Linear anywhere (the transformer's projections) without calibration. Inference only: the
/// output carries no gradient.
/// </summary>
public sealed class DynamicQuantizedLinear : Module
{
    private readonly Int8PackedWeights _packed;
    private readonly float[] _scale, _bias;

    /// <summary>Quantizes the weights of <paramref name="linear"/> (which is not modified); one activation scale per call.</summary>
    public DynamicQuantizedLinear(Linear linear) : this(linear, DynamicActivationScale.PerTensor) { }

    /// <summary>Quantizes the weights of <paramref name="linear"/> (which is not modified), with activation scales per <paramref name="granularity"/>.</summary>
    public DynamicQuantizedLinear(Linear linear, DynamicActivationScale granularity)
    {
        ArgumentNullException.ThrowIfNull(linear);
        (InFeatures, OutFeatures, Granularity) = (linear.InFeatures, linear.OutFeatures, granularity);
        var (codes, scales) = QuantizedLinear.QuantizeWeights(linear.Weight.Contiguous().AsReadOnlySpan(), OutFeatures, InFeatures);
        _packed = new Int8PackedWeights(codes, OutFeatures, InFeatures);
        _scale = scales;
        _bias = linear.Bias?.ToArray() ?? new float[OutFeatures];
    }

    /// <summary>A layer from stored int8 weights W_q [out, in] (in [−127, 127]), their per-row scales and the float bias.</summary>
    /// <exception cref="ArgumentException">Lengths disagree, a code is −128, or a scale or bias is not finite (scales also &gt; 0).</exception>
    public DynamicQuantizedLinear(sbyte[] weight, float[] weightScale, float[] bias, int inFeatures, DynamicActivationScale granularity)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(weightScale);
        ArgumentNullException.ThrowIfNull(bias);
        int n = weightScale.Length;
        if (n < 1 || inFeatures < 1 || weight.Length != (long)n * inFeatures || bias.Length != n)
            throw new ArgumentException($"DynamicQuantizedLinear [{n}, {inFeatures}] needs {(long)n * inFeatures} weights and {n} biases; got {weight.Length} and {bias.Length}.");
        if (weight.Any(w => w == sbyte.MinValue)) throw new ArgumentException("symmetric int8 weights lie in [−127, 127]; found −128.", nameof(weight));
        if (weightScale.Any(s => !(s > 0) || !float.IsFinite(s)) || bias.Any(b => !float.IsFinite(b)))
            throw new ArgumentException("weight scales must be finite and > 0, biases finite.");
        (InFeatures, OutFeatures, Granularity) = (inFeatures, n, granularity);
        _packed = new Int8PackedWeights(weight, n, inFeatures);
        (_scale, _bias) = ((float[])weightScale.Clone(), (float[])bias.Clone());
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }
    /// <summary>Output width.</summary>
    public int OutFeatures { get; }
    /// <summary>Per tensor or per row.</summary>
    public DynamicActivationScale Granularity { get; }
    /// <summary>W_q [OutFeatures, InFeatures] row-major.</summary>
    public ReadOnlyMemory<sbyte> Weight => _packed.RowMajor;
    /// <summary>Per-output-channel weight scales.</summary>
    public ReadOnlyMemory<float> WeightScale => _scale;
    /// <summary>Float bias.</summary>
    public ReadOnlyMemory<float> Bias => _bias;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Size(-1) != InFeatures)
            throw new ArgumentException($"DynamicQuantizedLinear expects input [..., {InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var src = x.Contiguous().AsReadOnlySpan();
        int rows = src.Length / InFeatures;
        int groups = Granularity == DynamicActivationScale.PerRow ? rows : 1, width = src.Length / Math.Max(1, groups);
        var quant = new ActivationQuantization[groups];
        var codes = new byte[src.Length];
        for (int g = 0; g < groups; g++)
        {
            var part = src.Slice(g * width, width);
            float min = 0, max = 0;
            foreach (float v in part)
            {
                if (!float.IsFinite(v)) throw new ArgumentException($"DynamicQuantizedLinear input holds {v}; int8 inference needs finite inputs.", nameof(x));
                if (v < min) min = v; else if (v > max) max = v;
            }
            quant[g] = ActivationQuantization.FromRange(min, max);
            Int8Requantize.Quantize(SimdTier.Auto, part, quant[g].Scale, quant[g].ZeroPoint, codes.AsSpan(g * width, width));
        }
        var acc = new int[rows * OutFeatures];
        Int8Gemm.Multiply(Int8Gemm.Best, codes, rows, _packed, acc);
        var offset = new int[OutFeatures];
        var scale = new float[OutFeatures];
        var y = new float[rows * OutFeatures];
        int rowsPerGroup = rows / Math.Max(1, groups);
        for (int g = 0; g < groups; g++)
        {
            var q = quant[g];
            for (int j = 0; j < OutFeatures; j++)
            {
                offset[j] = -q.ZeroPoint * _packed.RowSums[j];
                scale[j] = (float)((double)q.Scale * _scale[j]);
            }
            int span = rowsPerGroup * OutFeatures;
            Int8Requantize.ToFloat(SimdTier.Auto, acc.AsSpan(g * span, span), rowsPerGroup, OutFeatures, offset, scale, _bias, y.AsSpan(g * span, span));
        }
        var shape = x.Shape.ToArray();
        shape[^1] = OutFeatures;
        return Tensor.FromArray(y, shape);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"in_features={InFeatures}, out_features={OutFeatures}, dtype=qint8, per_channel=True, activation_scale={(Granularity == DynamicActivationScale.PerRow ? "per_row" : "per_tensor")}";
}
