using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x| ≤ a ? x²/(2a) : |x| − a/2; f′ = |x| ≤ a ? x/a : sign(x). Li, Ding and Lin, "Bi-firing deep neural
/// networks", 2014.
/// </summary>
internal readonly struct Bifiring(float a) : IParametricActivationKernel, IReferenceSecondDerivative<Bifiring>
{
    private readonly float _a = a;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "bifiring", Aliases = ["bi_firing"], Family = "polynomial",
        Formula = "|x| ≤ a ? x²/(2a) : |x| − a/2",
        Derivative = "|x| ≤ a ? x/a : sign(x)",
        Parameters =
        [
            new("a", 1.0, "half-width of the quadratic core", Min: 1e-06),
        ],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Bi-firing deep neural networks", Year = 2014,
        Notes = "A smoothed absolute value (Huber's function): fires for both signs, C¹ at ±a. The default a is illustrative. ∂f/∂a = |x| ≤ a ? −x²/(2a²) : −1/2.",
    }, p => new Bifiring((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x);
        return V.Select(V.LessThanOrEqual(ax, V.Create(_a)), x * x * V.Create(0.5f / _a), ax - V.Create(0.5f * _a));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThanOrEqual(V.Abs(x), V.Create(_a)), x * V.Create(1f / _a), (V.GreaterThan(x, V.Create(0f)) & V.Create(1f)) | (V.LessThan(x, V.Create(0f)) & V.Create(-1f)));
    /// <inheritdoc/>
    public double Reference(double x) => Math.Abs(x) <= _a ? x * x / (2.0 * _a) : Math.Abs(x) - _a / 2.0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) <= _a ? x / _a : x > 0 ? 1 : -1;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : Math.Abs(x) <= _a ? 1.0 / _a : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThanOrEqual(V.Abs(x), V.Create(_a)), x * x * V.Create(-0.5f / (_a * _a)), V.Create(-0.5f));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => Math.Abs(x) <= _a ? -x * x / (2.0 * _a * _a) : -0.5;
}
