using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sign(x)·(√(|x| + 1) − 1) + eps·x; f′ = 1/(2·√(|x| + 1)) + eps. Pohlen et al., "Observe and Look Further:
/// Achieving Consistent Performance on Atari", 2018.
/// </summary>
internal readonly struct SignedSqrt(float eps) : IParametricActivationKernel, IReferenceSecondDerivative<SignedSqrt>
{
    private readonly float _eps = eps;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "signed_sqrt", Aliases = ["muzero_transform", "value_rescale"], Family = "rational",
        Formula = "sign(x)·(√(|x| + 1) − 1) + eps·x",
        Derivative = "1/(2·√(|x| + 1)) + eps",
        Parameters =
        [
            new("eps", 0.001, "linear term keeping the inverse Lipschitz", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Observe and Look Further: Achieving Consistent Performance on Atari", Year = 2018,
        Notes = "The value-rescaling function h of R2D2/MuZero, used to squash targets and activations. √(|x| + 1) − 1 is evaluated as |x|/(√(|x| + 1) + 1) (no cancellation near 0); beyond 1e30 it is √|x|. ∂f/∂eps = x.",
    }, p => new SignedSqrt((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V t = V.Select(V.GreaterThan(a, V.Create(1e30f)), V.Sqrt(a), a / (V.Sqrt(a + V.Create(1f)) + V.Create(1f)));
        return V.Fma(V.Create(_eps), x, t | (x & V.Create(-0f)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(0.5f) / V.Sqrt(V.Abs(x) + V.Create(1f)) + V.Create(_eps);
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double a = Math.Abs(x);
        double t = a > 1e30 ? Math.Sqrt(a) : a / (Math.Sqrt(a + 1) + 1);
        return Math.CopySign(t, x) + _eps * x;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0.5 / Math.Sqrt(Math.Abs(x) + 1) + _eps;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / Math.Sqrt(Math.Abs(x) + 1), d = -0.25 * r * r * r;
        return x > 0 ? d : x < 0 ? -d : 0 * x;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        x;
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x;
}
