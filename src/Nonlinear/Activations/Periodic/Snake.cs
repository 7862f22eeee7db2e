using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x + sin²(a·x)/a (a = 1: x + sin²x); f′ = 1 + sin(2ax) = (sin(ax) + cos(ax))².
/// Ziyin, Hartwig and Ueda, "Neural Networks Fail to Learn Periodic Functions and How to Fix It", 2020.
/// </summary>
internal readonly struct Snake(float a) : IParametricActivationKernel, IReferenceSecondDerivative<Snake>
{
    private readonly float _a = a;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "snake_fixed", Aliases = ["x_plus_sin_squared"], Family = "periodic",
        Formula = "x + sin²(a·x)/a",
        Derivative = "1 + sin(2·a·x)",
        Parameters = [new("a", 1.0, "frequency", Min: 0.001)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred | ActivationProperties.Periodic,
        Uses = BackwardUses.Input,
        Paper = "Neural Networks Fail to Learn Periodic Functions and How to Fix It", Year = 2020,
        Notes = "Fixed frequency a (a hyper-parameter, not trained); the learnable unit is \"snake\". f(±∞) = ±∞ (bounded perturbation of x); f′ has no limit (NaN at ±∞). f′ as (sin + cos)², which keeps its accuracy where it touches 0. Accurate for |a·x| ≤ 1e6.",
    }, p => new Snake((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V s = VMath.Sin(V.Create(_a) * x);
        V y = V.Fma(s, s / V.Create(_a), x);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), x, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(V.Create(_a) * x);
        V t = s + c;
        return t * t;
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsInfinity(x)) return x;
        double s = Math.Sin((double)_a * x);
        return x + s * s / _a;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 + Math.Sin(2.0 * _a * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 2.0 * _a * Math.Cos(2.0 * _a * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => ADerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"snake_fixed has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => ReferenceADerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"snake_fixed has 1 parameter(s)."),
    };

    // ∂f/∂a = 2x·sin(ax)cos(ax)/a − sin²(ax)/a².
    private V ADerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(V.Create(_a) * x);
        return (V.Create(2f) * x * s * c - s * s / V.Create(_a)) / V.Create(_a);
    }

    private double ReferenceADerivative(double x)
    {
        double s = Math.Sin((double)_a * x), c = Math.Cos((double)_a * x);
        return (2 * x * s * c - s * s / _a) / _a;
    }
}
