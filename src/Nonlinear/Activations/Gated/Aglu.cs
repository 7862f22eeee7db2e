using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·APA(x) = x·(λ·e^(−κx) + 1)^(−1/λ) (κ = λ = 1: SiLU); f′ = APA(x) + x·APA′(x).
/// Alexandridis et al., "Adaptive Parametric Activation", 2024.
/// </summary>
internal readonly struct Aglu(float kappa, float lambda) : IParametricActivationKernel, IReferenceSecondDerivative<Aglu>
{
    private readonly float _kappa = kappa;
    private readonly float _lambda = lambda;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "aglu", Family = "gated",
        Formula = "x·(lambda·exp(−kappa·x) + 1)^(−1/lambda)",
        Derivative = "a + x·kappa·a/(lambda + exp(kappa·x)), a = APA(x)",
        Parameters = [new("kappa", 1.0, "slope", Min: 0),
            new("lambda", 1.0, "asymmetry (1: logistic, → 0: Gompertz)", Min: 0.01)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Adaptive Parametric Activation", Year = 2024,
        Notes = "Built on the Apa kernel; aglu(−∞) = −0. The product terms use |x| ≤ 1e30 so they are never ∞·0.",
    }, p => new Aglu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * new Apa(_kappa, _lambda).Forward(x);
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var apa = new Apa(_kappa, _lambda);
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        V a = apa.Forward(xc);
        return V.Fma(xc, apa.Derivative(xc, a), a);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * new Apa(_kappa, _lambda).Reference(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        var apa = new Apa(_kappa, _lambda);
        return apa.Reference(x) + x * apa.ReferenceDerivative(x);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        var apa = new Apa(_kappa, _lambda);
        double a2 = apa.ReferenceSecondDerivative(x);
        return 2 * apa.ReferenceDerivative(x) + (a2 == 0 ? 0 : x * a2);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => Clamp(x) * new Apa(_kappa, _lambda).KappaDerivative(x),
        1 => Clamp(x) * new Apa(_kappa, _lambda).LambdaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"aglu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) ? 0 : x * new Apa(_kappa, _lambda).ReferenceKappaDerivative(x),
        1 => double.IsInfinity(x) ? 0 : x * new Apa(_kappa, _lambda).ReferenceLambdaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"aglu has 2 parameter(s)."),
    };

    private static V Clamp<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), x);
}
