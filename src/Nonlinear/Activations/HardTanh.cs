using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max(x, min_val), max_val); f′ = 1 for min_val &lt; x &lt; max_val, else 0. Equivalent to torch.nn.Hardtanh(-1, 1).
/// Collobert, "Large Scale Machine Learning" (PhD thesis), 2004.
/// </summary>
internal readonly struct HardTanh : IParametricActivationKernel, ISecondDerivative<HardTanh>
{
    private readonly float _min, _max;

    /// <summary>Clamp to [minVal, maxVal].</summary>
    /// <exception cref="ArgumentException">minVal ≥ maxVal.</exception>
    public HardTanh(float minVal, float maxVal)
    {
        if (!(minVal < maxVal))
            throw new InvalidInputException($"hard_tanh: min_val must be below max_val; got min_val = {minVal}, max_val = {maxVal}.", nameof(minVal));
        (_min, _max) = (minVal, maxVal);
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "hard_tanh", Aliases = ["hardtanh"], Family = "sigmoid",
        Formula = "min(max(x, min_val), max_val)", Derivative = "min_val < y < max_val ? 1 : 0",
        Parameters =
        [
            new("min_val", -1.0, "lower clamp", "JAX hard_tanh fixed at −1"),
            new("max_val", 1.0, "upper clamp", "JAX hard_tanh fixed at 1"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Output, Kinks = [-1, 1],
        Paper = "Large Scale Machine Learning", Year = 2004,
        Notes = "f′ = 0 at both kinks, as PyTorch. min_val < y < max_val exactly when min_val < x < max_val (the clamp is exact), "
              + "so backward reads only y. relu6 is hard_tanh(0, 6). ∂f/∂min_val = x < min_val ? 1 : 0, ∂f/∂max_val = x > max_val ? 1 : 0 (0 at the kinks).",
        PyTorch = "torch.nn.Hardtanh",
    }, p => new HardTanh((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Min(V.Max(x, V.Create(_min)), V.Create(_max));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(y, V.Create(_min)) & V.LessThan(y, V.Create(_max)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max(x, _min), _max);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > _min && x < _max ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        (index == 0 ? V.LessThan(x, V.Create(_min)) : V.GreaterThan(x, V.Create(_max))) & V.Create(1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => (index == 0 ? x < _min : x > _max) ? 1 : 0;

    /// <summary>f″ = 0 on every piece (piecewise linear; the kinks contribute nothing, as in PyTorch's double backward).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 0;
}
