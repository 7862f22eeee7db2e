using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// Per-tensor asymmetric fake quantization of activations with a moving-average min-max observer (torch's
/// <c>FakeQuantize</c> with <c>MovingAverageMinMaxObserver</c>): in training mode every batch updates
/// min ← min + c·(batch_min − min) (likewise max; the first batch sets both), then x̂ = scale·(clamp(round(x/scale) + z,
/// 0, 2^bits − 1) − z) with scale and zero point from the observed range widened to include 0. In eval mode the
/// stored range is used unchanged. Backward: 1 inside the representable range, 0 where clipped. At 8 bits the range
/// gives exactly <see cref="ActivationQuantization.FromRange"/>'s scale and zero point, so an int8 model built from a
/// trained network (<see cref="QatConverter"/>) quantizes where this module did, with the same codes.
/// Before any training batch it has no range and passes values through unchanged.
/// </summary>
public sealed class FakeQuantize : Module
{
    private readonly Tensor _min, _max, _observed;

    /// <summary>A quantizer for <paramref name="bits"/>-bit codes (2–8) with EMA constant <paramref name="averagingConstant"/> (torch's 0.01).</summary>
    /// <exception cref="ArgumentException">bits outside [2, 8] or a constant outside (0, 1].</exception>
    public FakeQuantize(int bits = 8, float averagingConstant = 0.01f)
    {
        if (bits is < 2 or > 8) throw new ArgumentException($"activation bits must be in [2, 8]; got {bits}.", nameof(bits));
        if (!(averagingConstant > 0 && averagingConstant <= 1)) throw new ArgumentException($"averaging constant must be in (0, 1]; got {averagingConstant}.", nameof(averagingConstant));
        (Bits, AveragingConstant) = (bits, averagingConstant);
        _min = RegisterBuffer("min_val", Tensor.Zeros(1));
        _max = RegisterBuffer("max_val", Tensor.Zeros(1));
        _observed = RegisterBuffer("observed", Tensor.Zeros(1));
    }

    /// <summary>Code width.</summary>
    public int Bits { get; }
    /// <summary>The observer's moving-average constant.</summary>
    public float AveragingConstant { get; }
    /// <summary>Whether a training batch has set the range.</summary>
    public bool Observed => _observed.AsReadOnlySpan()[0] != 0;
    /// <summary>The observed range [min, max].</summary>
    public (float Min, float Max) Range => (_min.AsReadOnlySpan()[0], _max.AsReadOnlySpan()[0]);

    /// <summary>Scale and zero point of the observed range (codes 0 … 2^Bits − 1).</summary>
    /// <exception cref="InvalidOperationException">Nothing observed yet.</exception>
    public (float Scale, int ZeroPoint) ScaleAndZeroPoint
    {
        get
        {
            if (!Observed) throw new InvalidOperationException("FakeQuantize has observed no training batch yet, so it has no range.");
            var (lo, hi) = Range;
            return RangeParameters(lo, hi, Bits);
        }
    }

    /// <summary>The 8-bit parameters as the int8 path's <see cref="ActivationQuantization"/>.</summary>
    /// <exception cref="InvalidOperationException">Not 8 bits, or nothing observed yet.</exception>
    public ActivationQuantization Quantization => Bits == 8
        ? new ActivationQuantization(ScaleAndZeroPoint.Scale, ScaleAndZeroPoint.ZeroPoint)
        : throw new InvalidOperationException($"the int8 path needs 8-bit activations; this quantizer has {Bits} bits.");

    /// <summary>
    /// Scale and zero point covering [min, max] ∪ {0} with 2^bits codes: scale = (hi − lo)/(2^bits − 1), z = round(−lo/scale);
    /// a degenerate range gets scale 1. For 8 bits this is <see cref="ActivationQuantization.FromRange"/>.
    /// </summary>
    public static (float Scale, int ZeroPoint) RangeParameters(double min, double max, int bits)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"activation range must be finite with min ≤ max; got [{min}, {max}].");
        int levels = (1 << bits) - 1;
        double lo = Math.Min(min, 0), hi = Math.Max(max, 0);
        double scale = (hi - lo) / levels;
        if (!(scale > 0) || (float)scale == 0) return (1f, lo < 0 ? levels : 0);
        return ((float)scale, (int)Math.Clamp(Math.Round(-lo / scale, MidpointRounding.ToEven), 0, levels));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (IsTraining) Observe(x);
        if (!Observed) return x;
        var (scale, zp) = ScaleAndZeroPoint;
        return FakeQuantOps.PerTensorAffine(x, scale, zp, (1 << Bits) - 1);
    }

    private void Observe(Tensor x)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in x.Contiguous().AsReadOnlySpan())
            if (float.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (lo > hi) return; // nothing finite: a diverged batch must not poison the range
        Span<float> mn = _min.AsSpanUntracked(), mx = _max.AsSpanUntracked(), seen = _observed.AsSpanUntracked();
        if (seen[0] == 0)
        {
            (mn[0], mx[0]) = (lo, hi);
            seen[0] = 1;
        }
        else
        {
            mn[0] += AveragingConstant * (lo - mn[0]);
            mx[0] += AveragingConstant * (hi - mx[0]);
        }
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"bits={Bits}, averaging_constant={PyFloat(AveragingConstant)}";
}
