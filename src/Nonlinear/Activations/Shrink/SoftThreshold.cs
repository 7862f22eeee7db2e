using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sign(x)·max(|x| − tau, 0); f′ = |x| &gt; tau ? 1 : 0. "Deep Neural Network Initialization with Sparsity
/// Inducing Activations", 2024.
/// </summary>
internal readonly struct SoftThreshold(float tau) : IParametricActivationKernel, IPiecewiseLinear<SoftThreshold>
{
    private readonly float _tau = tau;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "soft_threshold", Aliases = ["soft_thresholding"], Family = "shrink",
        Formula = "sign(x)·max(|x| − tau, 0)",
        Derivative = "|x| > tau ? 1 : 0",
        Parameters =
        [
            new("tau", 1.0, "half-width of the dead zone", "softshrink is the same function with lambd = 0.5", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "Deep Neural Network Initialization with Sparsity Inducing Activations", Year = 2024,
        Notes = "The proximal operator of tau·|x| (Donoho, \"De-noising by soft-thresholding\", 1995); softshrink(lambd = tau). f′(±tau) = 0; the dead zone returns ±0 with the sign of x. ∂f/∂tau = |x| > tau ? −sign(x) : 0.",
    }, p => new SoftThreshold((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(V.Abs(x) - V.Create(_tau), V.Create(0f)) | (x & V.Create(-0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(V.Abs(x), V.Create(_tau)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.CopySign(Math.Max(Math.Abs(x) - _tau, 0), x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > _tau ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.GreaterThan(V.Abs(x), V.Create(_tau)) & (V.Create(-1f) ^ (x & V.Create(-0f)));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => Math.Abs(x) > _tau ? -Math.Sign(x) : 0;
}
