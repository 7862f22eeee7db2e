using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x + sin(x); f′ = 1 + cos(x) = 2·cos²(x/2).
/// Ziyin, Hartwig and Ueda, "Neural Networks Fail to Learn Periodic Functions and How to Fix It", 2020 (compared there with snake).
/// </summary>
internal readonly struct XPlusSin : IActivationKernel, IReferenceSecondDerivative<XPlusSin>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<XPlusSin>(new()
    {
        Name = "x_plus_sin", Family = "periodic",
        Formula = "x + sin(x)",
        Derivative = "1 + cos(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred | ActivationProperties.Periodic,
        Uses = BackwardUses.Input,
        Paper = "Neural Networks Fail to Learn Periodic Functions and How to Fix It", Year = 2020,
        Notes = "f(±∞) = ±∞; f′ has no limit (NaN at ±∞). f′ as 2cos²(x/2): relatively accurate where it touches 0 (1 + cos x cancels there).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x + VMath.Sin(x);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), x, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V c = VMath.Cos(V.Create(0.5f) * x);
        return V.Create(2f) * c * c;
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsInfinity(x) ? x : x + Math.Sin(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 2 * Math.Cos(0.5 * x) * Math.Cos(0.5 * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -Math.Sin(x);
}
