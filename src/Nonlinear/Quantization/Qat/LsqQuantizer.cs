using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>What an <see cref="LsqQuantizer"/> quantizes, which fixes its step layout and its gradient scale's N.</summary>
public enum LsqTarget
{
    /// <summary>Activations [B, F]: one step for the tensor; N = F, the features per sample.</summary>
    Activations,
    /// <summary>Weights [out, in]: one step per output channel; N = in, the weights per step.</summary>
    Weights,
}

/// <summary>
/// Learned step size quantization as a layer (Esser et al., "Learned Step Size Quantization", ICLR 2020): with v = x/s,
/// x̂ = round(clamp(v, −Q_N, Q_P))·s, signed codes Q_N = 2^(b−1), Q_P = 2^(b−1) − 1, unsigned Q_N = 0, Q_P = 2^b − 1.
/// Backward, the paper's rules: ∂x̂/∂x = 1 for −Q_N &lt; v &lt; Q_P, else 0; ∂x̂/∂s = round(v) − v inside, −Q_N or Q_P where
/// clipped, times the gradient scale g = 1/√(N·Q_P) (N per <see cref="LsqTarget"/>). The step starts at the paper's
/// 2·mean|x|/√Q_P on the first training batch (per channel for weights). A step driven to ≤ 0 by the optimiser is used
/// as 1e−8 (the quantizer is undefined there).
/// </summary>
public sealed class LsqQuantizer : Module
{
    private readonly Tensor _initialized;

    /// <summary>A quantizer of <paramref name="bits"/> bits.</summary>
    /// <param name="bits">Code width, 2–8.</param>
    /// <param name="signed">Signed codes (weights, activations that go negative) or unsigned (post-ReLU).</param>
    /// <param name="target">Activations (one step) or weights (one step per output channel).</param>
    /// <param name="channels">Output channels (weights only; 1 for activations).</param>
    public LsqQuantizer(int bits, bool signed, LsqTarget target = LsqTarget.Activations, int channels = 1)
    {
        if (bits is < 2 or > 8) throw new ArgumentException($"LSQ bits must be in [2, 8]; got {bits}.", nameof(bits));
        if (channels < 1 || (target == LsqTarget.Activations && channels != 1))
            throw new ArgumentException($"channels must be ≥ 1 (1 for activations); got {channels}.", nameof(channels));
        (Bits, Signed, Target) = (bits, signed, target);
        (QN, QP) = signed ? (1 << (bits - 1), (1 << (bits - 1)) - 1) : (0, (1 << bits) - 1);
        Step = RegisterParameter("step", Tensor.Ones(channels));
        _initialized = RegisterBuffer("initialized", Tensor.Zeros(1));
    }

    /// <summary>Code width.</summary>
    public int Bits { get; }
    /// <summary>Signed or unsigned codes.</summary>
    public bool Signed { get; }
    /// <summary>Activations or weights.</summary>
    public LsqTarget Target { get; }
    /// <summary>Q_N: the most negative code is −Q_N.</summary>
    public int QN { get; }
    /// <summary>Q_P: the largest code.</summary>
    public int QP { get; }
    /// <summary>The learned step(s), [channels].</summary>
    public Tensor Step { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int channels = Step.Length;
        if (Target == LsqTarget.Weights && (x.Rank != 2 || x.Size(0) != channels))
            throw new ArgumentException($"LSQ weights must be [{channels}, in]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (x.Rank == 0 || x.Length == 0) throw new ArgumentException($"LSQ needs a non-empty tensor; got {Shapes.Format(x.Shape)}.", nameof(x));
        var src = x.Contiguous().AsReadOnlySpan();
        int per = src.Length / channels;
        if (IsTraining && _initialized.AsReadOnlySpan()[0] == 0) Initialize(src, per);
        int n = Target == LsqTarget.Weights ? per : src.Length / x.Size(0);
        double gscale = 1 / Math.Sqrt((double)n * QP);
        var steps = Step.AsReadOnlySpan().ToArray();
        var y = new float[src.Length];
        var v = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            float s = Math.Max(steps[i / per], 1e-8f);
            v[i] = src[i] / s;
            y[i] = MathF.Round(Math.Clamp(v[i], -QN, QP)) * s;
        }
        var result = Tensor.FromArray(y, x.Shape.ToArray());
        return Autograd.Record(result, "lsq", [x, Step], g =>
        {
            var gs = g.Contiguous().AsReadOnlySpan();
            var dx = new float[gs.Length];
            var ds = new double[channels];
            for (int i = 0; i < gs.Length; i++)
            {
                float vi = v[i];
                bool inside = vi > -QN && vi < QP;
                dx[i] = inside ? gs[i] : 0f;
                double rule = inside ? Math.Round(vi, MidpointRounding.ToEven) - vi : vi <= -QN ? -QN : QP;
                ds[i / per] += gs[i] * rule;
            }
            var dsf = new float[channels];
            for (int c = 0; c < channels; c++) dsf[c] = (float)(ds[c] * gscale);
            return [Tensor.FromArray(dx, x.Shape.ToArray()), Tensor.FromArray(dsf, channels)];
        }, saved: []);
    }

    // s₀ = 2·mean|x|/√Q_P (the paper's initialisation), per channel; an all-zero channel keeps step 1.
    private void Initialize(ReadOnlySpan<float> x, int per)
    {
        var s = Step.AsSpanUntracked();
        for (int c = 0; c < s.Length; c++)
        {
            double sum = 0;
            foreach (float v in x.Slice(c * per, per)) sum += Math.Abs(v);
            double init = 2 * sum / per / Math.Sqrt(QP);
            if (init > 0 && double.IsFinite(init)) s[c] = (float)init;
        }
        _initialized.AsSpanUntracked()[0] = 1;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"bits={Bits}, signed={PyBool(Signed)}, target={Target.ToString().ToLowerInvariant()}, channels={Step.Length}";
}
