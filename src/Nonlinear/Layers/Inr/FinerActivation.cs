using Nonlinear.Tensors;

namespace Nonlinear.Layers.Inr;

/// <summary>
/// FINER's variable-periodic sine f(z) = sin(ω₀·(|z| + 1)·z); f′ = ω₀·(2|z| + 1)·cos(ω₀(|z| + 1)z);
/// f″ = 2ω₀·sign(z)·cos(·) − ω₀²(2|z| + 1)²·sin(·) (a jump at 0, where f′ is still continuous).
/// Liu et al., "FINER: Flexible Spectral-bias Tuning in Implicit NEural Representation", CVPR 2024.
/// </summary>
/// <remarks>
/// Composed of recorded primitives ((|z| + 1)·z as z + z·|z|, then sin), so every derivative order comes from the ops'
/// own rules; the layer is elementwise after a GEMM, so the extra passes cost little beside the matrix product.
/// </remarks>
public sealed class FinerActivation : Module
{
    /// <summary>f with frequency <paramref name="omega"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">ω₀ not finite and positive.</exception>
    public FinerActivation(double omega)
    {
        if (!(omega > 0) || !double.IsFinite(omega)) throw new ArgumentOutOfRangeException(nameof(omega), omega, "omega must be finite and > 0.");
        Omega = omega;
    }

    /// <summary>ω₀.</summary>
    public double Omega { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Ops.Sin(Ops.MulScalar(Ops.Add(x, Ops.Mul(x, Ops.Abs(x))), (float)Omega));
    }

    /// <summary>The double-precision f (the reference tests compare with).</summary>
    public double Reference(double z) => Math.Sin(Omega * (Math.Abs(z) + 1) * z);

    /// <summary>The double-precision f′.</summary>
    public double ReferenceDerivative(double z) => Omega * (2 * Math.Abs(z) + 1) * Math.Cos(Omega * (Math.Abs(z) + 1) * z);

    /// <summary>"finer(omega=ω₀)".</summary>
    public override string ToString() => FormattableString.Invariant($"finer(omega={Omega:R})");
}
