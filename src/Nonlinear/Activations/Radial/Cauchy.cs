using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (λ₁·x + λ₂)/(x² + d²); f′ = (λ₁·(d² − x²) − 2λ₂·x)/(x² + d²)². Defaults 1, 1, 1.
/// Li, Xia and Zhang, "Cauchy activation function and XNet", 2024.
/// </summary>
internal readonly struct Cauchy(float lambda1, float lambda2, float d) : IParametricActivationKernel, IReferenceSecondDerivative<Cauchy>
{
    private readonly float _lambda1 = lambda1;
    private readonly float _lambda2 = lambda2;
    private readonly float _d = d;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "cauchy", Aliases = ["xnet"], Family = "radial",
        Formula = "(lambda1·x + lambda2)/(x² + d²)",
        Derivative = "(lambda1·(d² − x²) − 2·lambda2·x)/(x² + d²)²",
        Parameters = [new("lambda1", 1.0, "weight of the odd part x/(x² + d²)"),
            new("lambda2", 1.0, "weight of the even part 1/(x² + d²)"),
            new("d", 1.0, "width", Min: 0.001)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Cauchy activation function and XNet", Year = 2024,
        Notes = "XNet trains lambda1, lambda2 and d (initialised at 1). For |x| > 1e18 evaluated with u = 1/x (x² would overflow): f = (lambda1 + lambda2·u)/(x + d²·u).",
    }, p => new Cauchy((float)p[0], (float)p[1], (float)p[2]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(V.Abs(x), V.Create(1e18f));
        V u = V.Create(1f) / x;
        V far = V.Fma(V.Create(_lambda2), u, V.Create(_lambda1)) / V.Fma(V.Create(_d * _d), u, x);
        V near = V.Fma(V.Create(_lambda1), x, V.Create(_lambda2)) / V.Fma(x, x, V.Create(_d * _d));
        return V.Select(big, far, near);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(V.Abs(x), V.Create(1e18f));
        V u = V.Create(1f) / x;
        V den = V.Fma(x, x, V.Create(_d * _d));
        V num = V.Create(_lambda1) * (V.Create(_d) - x) * (V.Create(_d) + x) - V.Create(2f * _lambda2) * x;
        return V.Select(big, -V.Create(_lambda1) * u * u, num / den / den);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsInfinity(x) ? (_lambda1 == 0 ? 0 : Math.CopySign(0.0, _lambda1 * x)) : (_lambda1 * x + _lambda2) / (x * x + (double)_d * _d);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double den = x * x + (double)_d * _d;
        return (_lambda1 * ((double)_d * _d - x * x) - 2 * _lambda2 * x) / (den * den);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double d2 = (double)_d * _d, den = x * x + d2;
        double n = _lambda1 * (d2 - x * x) - 2 * _lambda2 * x, dn = -2 * _lambda1 * x - 2 * _lambda2;
        return (dn * den - 4 * x * n) / (den * den * den);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => Inverse(x, x),
        1 => Inverse(x, V.Create(1f)),
        2 => -V.Create(2f * _d) * y * Inverse(x, V.Create(1f)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"cauchy has 3 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) ? 0 : x / (x * x + (double)_d * _d),
        1 => double.IsInfinity(x) ? 0 : 1 / (x * x + (double)_d * _d),
        2 => double.IsInfinity(x) ? 0 : -2 * _d * Reference(x) / (x * x + (double)_d * _d),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"cauchy has 3 parameter(s)."),
    };

    // num/(x² + d²), with u = 1/x beyond 1e18 so x² never overflows (0 at ±∞).
    private V Inverse<V>(V x, V num) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(V.Abs(x), V.Create(1e18f));
        V u = V.Create(1f) / x;
        V far = num * u * u / V.Fma(V.Create(_d * _d), u * u, V.Create(1f));
        V r = V.Select(big, far, num / V.Fma(x, x, V.Create(_d * _d)));
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), r);
    }
}
