using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// Per-output-channel symmetric weight fake quantization at 2–8 bits: s_j = max|W[j, :]|/(2^(bits−1) − 1), Ŵ = s_j·round(W/s_j);
/// straight-through backward. At 8 bits Ŵ is exactly the dequantized <see cref="QuantizedLinear.QuantizeWeights"/>.
/// </summary>
public sealed class PerChannelWeightQuantizer : Module
{
    /// <summary>A quantizer for <paramref name="bits"/>-bit weights.</summary>
    /// <exception cref="ArgumentException">bits outside [2, 8].</exception>
    public PerChannelWeightQuantizer(int bits = 8)
    {
        if (bits is < 2 or > 8) throw new ArgumentException($"weight bits must be in [2, 8]; got {bits}.", nameof(bits));
        Bits = bits;
    }

    /// <summary>Code width (codes in ±(2^(bits−1) − 1)).</summary>
    public int Bits { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => FakeQuantOps.PerChannelSymmetric(x, Bits);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"bits={Bits}, per_channel=True, symmetric=True";
}

/// <summary>XNOR-Net binary weights: α_j·sgn(W) with α_j = mean|W[j, :]| (see <see cref="FakeQuantOps.BinaryWeights"/> for the backward).</summary>
public sealed class BinaryWeightQuantizer : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => FakeQuantOps.BinaryWeights(x);
}

/// <summary>TWN ternary weights: α_j·sgn(W)·1{|W| &gt; 0.7·mean|W[j, :]|} (see <see cref="FakeQuantOps.TernaryWeights"/>).</summary>
public sealed class TernaryWeightQuantizer : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => FakeQuantOps.TernaryWeights(x);
}

/// <summary>Binary activations: +1 for x &gt; 0, −1 otherwise, clipped straight-through backward (1 for |x| ≤ 1).</summary>
public sealed class BinaryActivationQuantizer : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => FakeQuantOps.Binary(x);
}

/// <summary>Ternary activations: sgn(x)·1{|x| &gt; Delta} in {−1, 0, +1}, clipped straight-through backward (1 for |x| ≤ 1).</summary>
/// <param name="delta">The dead zone's half width (default 0.5: the midpoint between the levels 0 and 1).</param>
public sealed class TernaryActivationQuantizer(float delta = 0.5f) : Module
{
    /// <summary>The dead zone's half width.</summary>
    public float Delta { get; } = delta >= 0 && float.IsFinite(delta) ? delta : throw new ArgumentException($"delta must be finite and ≥ 0; got {delta}.", nameof(delta));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => FakeQuantOps.Ternary(x, Delta);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"delta={PyFloat(Delta)}";
}
