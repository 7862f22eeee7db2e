using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = round(min(max(x, −1), 1)·n)/n,  n = 2^(bits − 1) − 1; f′ = 0 (backward uses |x| ≤ 1 ? 1 : 0). Hubara et al.,
/// "Quantized Neural Networks: Training Neural Networks with Low Precision Weights and Activations", 2017.
/// </summary>
internal readonly struct SymmetricQuantize : IParametricActivationKernel, ISurrogateBackwardKernel
{
    private readonly float _bits;
    private readonly float _n;

    /// <summary>Quantiser with 2^(bits − 1) − 1 positive levels.</summary>
    public SymmetricQuantize(float bits)
    {
        _bits = bits;
        _n = (float)N(bits);
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "symmetric_quantize", Aliases = ["signed_quantize"], Family = "step",
        Formula = "round(min(max(x, −1), 1)·n)/n,  n = 2^(bits − 1) − 1",
        Derivative = "0 (backward uses |x| ≤ 1 ? 1 : 0)",
        Parameters =
        [
            new("bits", 4.0, "bit width including the sign (levels −n … n)", Min: 2.0, Max: 16.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-0.9285714285714286, -0.7857142857142857, -0.6428571428571429, -0.5, -0.35714285714285715, -0.21428571428571427, -0.07142857142857142, 0.07142857142857142, 0.21428571428571427, 0.35714285714285715, 0.5, 0.6428571428571429, 0.7857142857142857, 0.9285714285714286],
        Paper = "Quantized Neural Networks: Training Neural Networks with Low Precision Weights and Activations", Year = 2017,
        Notes = "Signed uniform quantiser on [−1, 1] with 2n + 1 levels (ties to even, of the exact product), straight-through backward inside [−1, 1]. BackwardIsExact = false; the exact f′ is 0 off the jumps (listed for bits = 4). ∂f/∂bits = −round(c·n)·2^(bits − 1)·ln 2/n² off the jumps (c the clipped input).",
        BackwardIsExact = false,
    }, p => new SymmetricQuantize((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V c = V.Min(V.Max(x, V.Create(-1f)), V.Create(1f));
        return RoundProduct(c, V.Create(_n)) / V.Create(_n);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.LessThanOrEqual(V.Abs(x), V.Create(1f)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double c = Math.Min(Math.Max(x, -1), 1), n = N(_bits);
        return Math.Round(c * n, MidpointRounding.ToEven) / n;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => Math.Abs(x) <= 1 ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V q = RoundProduct(V.Min(V.Max(x, V.Create(-1f)), V.Create(1f)), V.Create(_n));
        double n = N(_bits);
        return q * V.Create((float)(-Math.Pow(2, _bits - 1) * Math.Log(2) / (n * n)));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double n = N(_bits), q = Math.Round(Math.Min(Math.Max(x, -1), 1) * n, MidpointRounding.ToEven);
        return -q * Math.Pow(2, _bits - 1) * Math.Log(2) / (n * n);
    }

    private static double N(double bits) => Math.Pow(2, bits - 1) - 1;

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
