using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// PACT as a layer (Choi et al., "PACT: Parameterized Clipping Activation for Quantized Neural Networks", 2018): a learnable
/// clipping level α replaces ReLU's unbounded range, y = clamp(x, 0, α), then y is quantized to n = 2^bits − 1 uniform
/// levels, ŷ = round(y·n/α)·α/n. Backward, the paper's eq. 3 with the straight-through estimator for the rounding:
/// ∂ŷ/∂x = 1 for 0 ≤ x &lt; α, else 0; ∂ŷ/∂α = 1 for x ≥ α, else 0. α starts at the paper's 10; the paper's L2 penalty on α
/// is the optimiser's weight decay. Equivalent to the catalog's <c>pact</c> entry with α trained by that rule.
/// </summary>
public sealed class PactQuantizer : Module
{
    /// <summary>A PACT quantizer of <paramref name="bits"/> bits with initial clip <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentException">bits outside [1, 8] or alpha not finite and positive.</exception>
    public PactQuantizer(int bits, float alpha = 10f)
    {
        if (bits is < 1 or > 8) throw new ArgumentException($"PACT bits must be in [1, 8]; got {bits}.", nameof(bits));
        if (!(alpha > 0) || !float.IsFinite(alpha)) throw new ArgumentException($"alpha must be finite and > 0; got {alpha}.", nameof(alpha));
        Bits = bits;
        Alpha = RegisterParameter("alpha", Tensor.Full(alpha, 1));
    }

    /// <summary>Code width.</summary>
    public int Bits { get; }
    /// <summary>The learned clipping level, [1].</summary>
    public Tensor Alpha { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var src = x.Contiguous().AsReadOnlySpan();
        float a = Math.Max(Alpha.AsReadOnlySpan()[0], 1e-8f), n = (1 << Bits) - 1;
        var y = new float[src.Length];
        for (int i = 0; i < src.Length; i++) y[i] = MathF.Round(Math.Clamp(src[i], 0, a) * n / a) * a / n;
        var xs = src.ToArray();
        return Autograd.Record(Tensor.FromArray(y, x.Shape.ToArray()), "pact", [x, Alpha], g =>
        {
            var gs = g.Contiguous().AsReadOnlySpan();
            var dx = new float[gs.Length];
            double da = 0;
            for (int i = 0; i < gs.Length; i++)
            {
                if (xs[i] >= a) da += gs[i];
                else if (xs[i] >= 0) dx[i] = gs[i];
            }
            return [Tensor.FromArray(dx, x.Shape.ToArray()), Tensor.FromArray([(float)da], 1)];
        }, saved: []);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"bits={Bits}";
}
