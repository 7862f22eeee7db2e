using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·tanh(softplus(x)); f′ = tanh(sp) + x·σ(x)·(1 − tanh²(sp)). Equivalent to torch.nn.Mish.
/// Misra, "Mish: A Self Regularized Non-Monotonic Activation Function", 2019.
/// </summary>
internal readonly struct Mish : IActivationKernel, IReferenceSecondDerivative<Mish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Mish>(new()
    {
        Name = "mish", Family = "gated",
        Formula = "x·tanh(ln(1 + exp(x)))", Derivative = "tanh(sp) + x·σ(x)·(1 − tanh²(sp)), sp = softplus(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Mish: A Self Regularized Non-Monotonic Activation Function", Year = 2019,
        Notes = "tanh(softplus(x)) = n/(n + 2) with n = eˣ(eˣ + 2), rewritten with e = e^(−|x|) so nothing overflows: "
              + "(1 + 2e)/(1 + 2e + 2e²) for x ≥ 0, (e² + 2e)/(e² + 2e + 2) for x < 0. One exponential and one division, no "
              + "cancellation; 1 − tanh is the exact remainder (2e² or 2)/den. mish(−∞) = −0.",
        PyTorch = "torch.nn.Mish",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        var (num, den, _) = Parts(x);
        V y = x * (num / den);
        return V.Blend(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }

    // Numerator and denominator of tanh(softplus(x)), and e = e^(−|x|).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static (V Num, V Den, V E) Parts<V>(V x) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f), two = V.Create(2f);
        V e = VMath.Exp(-V.Abs(x));
        V pos = V.GreaterThanOrEqual(x, V.Create(0f));
        V num = V.Blend(pos, V.Fma(two, e, one), e * (e + two));
        V den = num + V.Blend(pos, two * e * e, two);
        return (num, den, e);
    }

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f), two = V.Create(2f);
        // At ±∞ the second term is ∞·0; at ±200 it is already exactly 0 in float, so clamping gives the limits 0 and 1.
        V xc = V.Clamp(x, V.Create(-200f), V.Create(200f));
        var (num, den, e) = Parts(xc);
        V pos = V.GreaterThanOrEqual(xc, V.Create(0f));
        V rden = one / den;
        V t = num * rden;
        V omt = V.Blend(pos, two * e * e, two) * rden; // 1 − t, exactly the remainder
        V sig = V.Blend(pos, one, e) / (one + e);
        return V.Fma(xc * sig, omt * (one + t), t);
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNegativeInfinity(x) ? -0.0 : x * Math.Tanh(DoubleMath.Softplus(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double sp = DoubleMath.Softplus(x), c = Math.Cosh(sp);
        return Math.Tanh(sp) + x * DoubleMath.Sigmoid(x) / (c * c);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // T = tanh(softplus x): f″ = σ(x)·sech²(softplus x)·(2 + x·(σ(−x) − 2T·σ(x))).
        if (double.IsInfinity(x)) return 0;
        double sp = DoubleMath.Softplus(x), s = DoubleMath.Sigmoid(x);
        double w = s * SmoothMath.Sech2(sp);
        return w == 0 ? 0 : w * (2 + x * (DoubleMath.Sigmoid(-x) - 2 * Math.Tanh(sp) * s));
    }
}
