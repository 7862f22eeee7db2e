using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// Dynamic quantization of a Linear (torch.ao.quantization.quantize_dynamic's nn.quantized.dynamic.Linear): int8
/// per-channel symmetric weights fixed once; at every call the input's own [min, max] (with 0) sets a uint8
/// quantization, the int8 GEMM runs, and the output is float. Float in, float out, so it replaces a Linear anywhere
/// (the transformer's projections) without calibration. Inference only: the output carries no gradient.
/// </summary>
public sealed class DynamicQuantizedLinear : Module
{
    private readonly Int8PackedWeights _packed;
    private readonly float[] _scale, _bias;

    /// <summary>Quantizes the weights of <paramref name="linear"/> (which is not modified).</summary>
    public DynamicQuantizedLinear(Linear linear)
    {
        ArgumentNullException.ThrowIfNull(linear);
        (InFeatures, OutFeatures) = (linear.InFeatures, linear.OutFeatures);
        var (codes, scales) = QuantizedLinear.QuantizeWeights(linear.Weight.Contiguous().AsReadOnlySpan(), OutFeatures, InFeatures);
        _packed = new Int8PackedWeights(codes, OutFeatures, InFeatures);
        _scale = scales;
        _bias = linear.Bias?.ToArray() ?? new float[OutFeatures];
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }
    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Size(-1) != InFeatures)
            throw new ArgumentException($"DynamicQuantizedLinear expects input [..., {InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var src = x.Contiguous().AsReadOnlySpan();
        int rows = src.Length / InFeatures;
        float min = 0, max = 0;
        foreach (float v in src)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"DynamicQuantizedLinear input holds {v}; int8 inference needs finite inputs.", nameof(x));
            if (v < min) min = v; else if (v > max) max = v;
        }
        var q = ActivationQuantization.FromRange(min, max);
        var codes = new byte[src.Length];
        Int8Requantize.Quantize(SimdTier.Auto, src, q.Scale, q.ZeroPoint, codes);
        var acc = new int[rows * OutFeatures];
        Int8Gemm.Multiply(Int8Gemm.Best, codes, rows, _packed, acc);
        var offset = new int[OutFeatures];
        var scale = new float[OutFeatures];
        for (int j = 0; j < OutFeatures; j++)
        {
            offset[j] = -q.ZeroPoint * _packed.RowSums[j];
            scale[j] = (float)((double)q.Scale * _scale[j]);
        }
        var y = new float[rows * OutFeatures];
        Int8Requantize.ToFloat(SimdTier.Auto, acc, rows, OutFeatures, offset, scale, _bias, y);
        var shape = x.Shape.ToArray();
        shape[^1] = OutFeatures;
        return Tensor.FromArray(y, shape);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, dtype=qint8, per_channel=True";
}
