using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x); f′ = x &gt; 0 ? 1 (backward uses x &gt; −alpha ? 1 : 0). Kimhi, Kashani, Mendelson and Baskin,
/// "Hysteresis Activation Function for Efficient Inference", 2024.
/// </summary>
internal readonly struct Helu(float alpha) : IParametricActivationKernel, ISurrogateBackwardKernel
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "helu", Aliases = ["hysteresis_relu"], Family = "relu",
        Formula = "max(0, x)",
        Derivative = "x > 0 ? 1 (backward uses x > −alpha ? 1 : 0)",
        Parameters =
        [
            new("alpha", 0.05, "how far below 0 the backward pass still lets gradient through", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Hysteresis Activation Function for Efficient Inference", Year = 2024,
        Notes = "Forward is relu; backward is dx = dy·[x > −alpha], deliberately not f′ (a hysteresis that lets units just below zero recover: the paper's fix for dying ReLUs). BackwardIsExact = false; ReferenceDerivative is relu's exact f′. ∂f/∂alpha = 0 (alpha only enters the backward rule).",
        BackwardIsExact = false,
    }, p => new Helu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(x, V.Create(0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(-_alpha)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x, 0);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => x > -_alpha ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => 0;
}
