using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = round(min(max(x, 0), 1)·n)/n,  n = 2^bits − 1; f′ = 0 (backward uses 0 &lt; x &lt; 1 ? 1 : 0). Zhou et al.,
/// "DoReFa-Net: Training Low Bitwidth Convolutional Neural Networks with Low Bitwidth Gradients", 2016.
/// </summary>
internal readonly struct DorefaQuantize : IParametricActivationKernel, ISurrogateBackwardKernel
{
    private readonly float _bits;
    private readonly float _n;

    /// <summary>Quantiser with 2^bits − 1 levels above 0.</summary>
    public DorefaQuantize(float bits)
    {
        _bits = bits;
        _n = (float)(Math.Pow(2, bits) - 1);
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "dorefa_quantize", Aliases = ["dorefa"], Family = "step",
        Formula = "round(min(max(x, 0), 1)·n)/n,  n = 2^bits − 1",
        Derivative = "0 (backward uses 0 < x < 1 ? 1 : 0)",
        Parameters =
        [
            new("bits", 2.0, "bit width k (n = 2^k − 1 levels above 0)", Min: 1.0, Max: 16.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.16666666666666666, 0.5, 0.8333333333333334],
        Paper = "DoReFa-Net: Training Low Bitwidth Convolutional Neural Networks with Low Bitwidth Gradients", Year = 2016,
        Notes = "The k-bit activation quantiser: clip to [0, 1], round to n levels (ties to even), straight-through backward inside (0, 1). BackwardIsExact = false; the exact derivative is 0 off the jumps (x = (j + 1/2)/n: listed for bits = 2). Non-integer bits are accepted (n = 2^bits − 1 is then not an integer and the top level is round(n)/n). ∂f/∂bits = −round(c·n)·2^bits·ln 2/n² off the jumps (c the clipped input).",
        BackwardIsExact = false,
    }, p => new DorefaQuantize((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        return V.Round(ExactProductRound(x)) / V.Create(_n);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(0f)) & V.LessThan(x, V.Create(1f)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double c = Math.Min(Math.Max(x, 0), 1);
        return Math.Round(c * N, MidpointRounding.ToEven) / N;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => x > 0 && x < 1 ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        return ExactProductRound(x) * V.Create((float)(-Math.Pow(2, _bits) * Math.Log(2) / ((double)_n * _n)));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double c = Math.Min(Math.Max(x, 0), 1);
        return -Math.Round(c * N, MidpointRounding.ToEven) * Math.Pow(2, _bits) * Math.Log(2) / (N * N);
    }

    // The exact level count in double (2^bits − 1 for the float-rounded bits); the float path uses it rounded once.
    private double N => Math.Pow(2, _bits) - 1;

    // round(c·n) of the exact product: c·n rounded to float can land on a tie (x = 1/6 → 0.5) that the exact product is not;
    // the fused multiply-add's remainder says which way the exact product lies.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private V ExactProductRound<V>(V x) where V : struct, ISimdVec<V>
    {
        V c = V.Min(V.Max(x, V.Create(0f)), V.Create(1f));
        V n = V.Create(_n);
        V p = c * n;
        V err = V.Fma(c, n, -p);
        V fl = V.Floor(p);
        V tie = V.Equals(p - fl, V.Create(0.5f));
        V resolved = V.Select(V.GreaterThan(err, V.Create(0f)), fl + V.Create(1f), V.Select(V.LessThan(err, V.Create(0f)), fl, V.Round(p)));
        return V.Select(tie, resolved, V.Round(p));
    }
}
