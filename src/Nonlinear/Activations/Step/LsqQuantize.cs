using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = round(min(max(x/step, 0), q))·step,  q = 2^bits − 1; f′ = 0 (backward uses 0 &lt; x/step &lt; q ? 1 : 0).
/// Esser et al., "Learned Step Size Quantization", 2020.
/// </summary>
internal readonly struct LsqQuantize : IParametricActivationKernel, ISurrogateBackwardKernel
{
    private readonly float _step, _bits;
    private readonly float _q;

    /// <summary>Step size and bit width.</summary>
    public LsqQuantize(float step, float bits)
    {
        (_step, _bits) = (step, bits);
        _q = (float)(Math.Pow(2, bits) - 1);
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "lsq_quantize", Aliases = ["lsq"], Family = "step",
        Formula = "round(min(max(x/step, 0), q))·step,  q = 2^bits − 1",
        Derivative = "0 (backward uses 0 < x/step < q ? 1 : 0)",
        Parameters =
        [
            new("step", 0.25, "quantiser step size (learned)", "the paper initialises it from data as 2⟨|x|⟩/√q", Min: 1e-06),
            new("bits", 3.0, "bit width (unsigned: levels 0 … 2^bits − 1)", Min: 1.0, Max: 16.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.125, 0.375, 0.625, 0.875, 1.125, 1.375, 1.625],
        Paper = "Learned Step Size Quantization", Year = 2020,
        Notes = "Unsigned learned-step quantiser for post-ReLU activations, straight-through backward inside the range. BackwardIsExact = false; the exact f′ is 0 off the jumps (listed for the defaults). ∂f/∂step = round(min(max(x/step, 0), q)) and ∂f/∂bits = 0: the exact almost-everywhere derivatives (LSQ's own step gradient adds −x/step inside, from the straight-through round).",
        BackwardIsExact = false,
    }, p => new LsqQuantize((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V v = V.Min(V.Max(x / V.Create(_step), V.Create(0f)), V.Create(_q));
        return V.Round(v) * V.Create(_step);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V v = x / V.Create(_step);
        return V.GreaterThan(v, V.Create(0f)) & V.LessThan(v, V.Create(_q)) & V.Create(1f);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double v = Math.Min(Math.Max(x / _step, 0), Q);
        return Math.Round(v, MidpointRounding.ToEven) * _step;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => x / _step > 0 && x / _step < Q ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        if (index == 1) return V.Create(0f);
        return V.Round(V.Min(V.Max(x / V.Create(_step), V.Create(0f)), V.Create(_q)));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        if (index == 1) return double.IsNaN(x) ? x : 0;
        return Math.Round(Math.Min(Math.Max(x / _step, 0), Q), MidpointRounding.ToEven);
    }

    private double Q => Math.Pow(2, _bits) - 1;
}
