using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ½x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715x³), evaluated as x·σ(2u); f′ = σ(2u) + x·2u′·σ(2u)·σ(−2u),
/// u′ = √(2/π)·(1 + 3·0.044715x²). Equivalent to torch.nn.GELU(approximate='tanh').
/// Hendrycks and Gimpel, "Gaussian Error Linear Units (GELUs)", 2016.
/// </summary>
internal readonly struct GeluTanh : IActivationKernel, IReferenceSecondDerivative<GeluTanh>
{
    private const float K = 0.797884560802865356f; // √(2/π)
    private const float C = 0.044715f;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<GeluTanh>(new()
    {
        Name = "gelu_tanh", Aliases = ["gelu_new", "gelu_approximate", "gelu_pytorch_tanh"], Family = "gated",
        Formula = "x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))",
        Derivative = "½(1 + tanh u) + ½x·(1 − tanh² u)·√(2/π)·(1 + 0.134145·x²)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Gaussian Error Linear Units (GELUs)", Year = 2016,
        Notes = "Approximation of gelu, differing by up to ~5e-4 near |x| ≈ 2. Uses ½(1 + tanh u) = σ(2u), so the left tail has no "
              + "1 + tanh cancellation, and σ(2u)(1 − σ(2u)) = σ(2u)σ(−2u) from one exponential. jax.nn.gelu defaults to this "
              + "form (approximate=True); HuggingFace calls it gelu_new / gelu_pytorch_tanh. gelu_tanh(−∞) = −0.",
        PyTorch = "torch.nn.GELU(approximate='tanh')",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V u2 = V.Create(2f * K) * V.Fma(V.Create(C) * x, x * x, x);
        V y = x * VMath.Sigmoid(u2);
        return V.Blend(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V xc = V.Clamp(x, V.Create(-1e4f), V.Create(1e4f)); // keeps x³ and x·u′ finite; σ saturates long before
        V x2 = xc * xc;
        V u2 = V.Create(2f * K) * V.Fma(V.Create(C) * xc, x2, xc);
        V e = VMath.Exp(-V.Abs(u2));
        V r = one / (one + e);
        V s = V.Blend(V.LessThan(u2, V.Create(0f)), e * r, r);
        V du2 = V.Create(2f * K) * V.Fma(V.Create(3f * C), x2, one);
        return V.Fma(xc * du2, e * r * r, s); // σ(2u)·σ(−2u) = e·r² for either sign
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsNegativeInfinity(x)) return -0.0;
        double u = Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return x * DoubleMath.Sigmoid(2 * u);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        // ½(1 + tanh u) = σ(2u) and ½(1 − tanh² u) = 2σ(2u)σ(−2u), in stable form (1 + tanh u cancels for x ≪ 0).
        double k = Math.Sqrt(2 / Math.PI), u = k * (x + 0.044715 * x * x * x);
        double s = DoubleMath.Sigmoid(2 * u), sm = DoubleMath.Sigmoid(-2 * u);
        return s + x * 2 * s * sm * k * (1 + 3 * 0.044715 * x * x);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // f = x·σ(v), v = 2k(x + c·x³): f″ = σσ̄(v)·(2v′ − x·tanh(v/2)·v′² + x·v″).
        if (double.IsInfinity(x)) return 0;
        const double c = 0.044715;
        double k = Math.Sqrt(2 / Math.PI), v = 2 * k * (x + c * x * x * x);
        double v1 = 2 * k * (1 + 3 * c * x * x), v2 = 12 * k * c * x;
        double ss = SecondDerivativeMath.SigmoidSlope(v);
        return ss == 0 ? 0 : ss * (2 * v1 - x * Math.Tanh(0.5 * v) * v1 * v1 + x * v2);
    }
}
