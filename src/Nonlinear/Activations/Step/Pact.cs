using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = round(min(max(x, 0), alpha)·n/alpha)·alpha/n,  n = 2^bits − 1; f′ = 0 (backward uses 0 &lt; x &lt; alpha ? 1
/// : 0). Choi et al., "PACT: Parameterized Clipping Activation for Quantized Neural Networks", 2018.
/// </summary>
internal readonly struct Pact : IParametricActivationKernel, ISurrogateBackwardKernel
{
    private readonly float _alpha, _bits;
    private readonly float _k;

    /// <summary>Clip at alpha, 2^bits − 1 levels.</summary>
    public Pact(float alpha, float bits)
    {
        (_alpha, _bits) = (alpha, bits);
        _k = (float)(N(bits) / alpha);
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "pact", Aliases = ["pact_quantize"], Family = "step",
        Formula = "round(min(max(x, 0), alpha)·n/alpha)·alpha/n,  n = 2^bits − 1",
        Derivative = "0 (backward uses 0 < x < alpha ? 1 : 0)",
        Parameters =
        [
            new("alpha", 10.0, "clipping level (learned in the paper)", "the paper initialises alpha = 10", Min: 1e-06),
            new("bits", 4.0, "bit width k", Min: 1.0, Max: 16.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.3333333333333333, 1.0, 1.6666666666666667, 2.3333333333333335, 3.0, 3.6666666666666665, 4.333333333333333, 5.0, 5.666666666666667, 6.333333333333333, 7.0, 7.666666666666667, 8.333333333333334, 9.0, 9.666666666666666],
        Paper = "PACT: Parameterized Clipping Activation for Quantized Neural Networks", Year = 2018,
        Notes = "Clip to [0, alpha], quantise to n uniform levels (ties to even, of the exact product), straight-through backward inside (0, alpha). BackwardIsExact = false; the exact f′ is 0 off the jumps (listed for the defaults). ∂f/∂alpha = round(c·n/alpha)/n and ∂f/∂bits = −round(c·n/alpha)·alpha·2^bits·ln 2/n² (c the clipped input): the exact almost-everywhere derivatives of the forward, not the paper's straight-through rule for alpha.",
        BackwardIsExact = false,
    }, p => new Pact((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V c = V.Min(V.Max(x, V.Create(0f)), V.Create(_alpha));
        return RoundProduct(c, V.Create(_k)) / V.Create(_k);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(0f)) & V.LessThan(x, V.Create(_alpha)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double c = Math.Min(Math.Max(x, 0), _alpha), n = N(_bits);
        return Math.Round(c * n / _alpha, MidpointRounding.ToEven) * _alpha / n;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => x > 0 && x < _alpha ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V q = RoundProduct(V.Min(V.Max(x, V.Create(0f)), V.Create(_alpha)), V.Create(_k));
        double n = N(_bits);
        return index == 0 ? q * V.Create((float)(1 / n)) : q * V.Create((float)(-_alpha * Math.Pow(2, _bits) * Math.Log(2) / (n * n)));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double n = N(_bits), q = Math.Round(Math.Min(Math.Max(x, 0), _alpha) * n / _alpha, MidpointRounding.ToEven);
        return index == 0 ? q / n : -q * _alpha * Math.Pow(2, _bits) * Math.Log(2) / (n * n);
    }

    private static double N(double bits) => Math.Pow(2, bits) - 1;

    // round(c·k) of the exact product: c·k rounded to float can land on a tie that the exact product is not; the fused
    // multiply-add's remainder says which way the exact product lies.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static V RoundProduct<V>(V c, V k) where V : struct, ISimdVec<V>
    {
        V p = c * k;
        V err = V.Fma(c, k, -p);
        V fl = V.Floor(p);
        V resolved = V.Select(V.GreaterThan(err, V.Create(0f)), fl + V.Create(1f), V.Select(V.LessThan(err, V.Create(0f)), fl, V.Round(p)));
        return V.Select(V.Equals(p - fl, V.Create(0.5f)), resolved, V.Round(p));
    }
}
