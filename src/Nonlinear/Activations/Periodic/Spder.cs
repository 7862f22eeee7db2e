using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sin(x)·√|x|; f′ = cos(x)·√|x| + sin(|x|)/(2√|x|) (0 at 0).
/// Shah and Sitawarin, "SPDER: Semiperiodic Damping-Enabled Object Representation", 2023.
/// </summary>
internal readonly struct Spder : IActivationKernel, ISecondDerivative<Spder>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Spder>(new()
    {
        Name = "spder", Family = "periodic",
        Formula = "sin(x)·√|x|",
        Derivative = "cos(x)·√|x| + sin(|x|)/(2·√|x|)",
        Properties = ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "SPDER: Semiperiodic Damping-Enabled Object Representation", Year = 2023,
        Notes = "C¹ (f′(0) = 0) but f″ ≈ (3/4)·sign(x)/√|x| is unbounded at 0, where we define it as 0 (its odd symmetry). Oscillates without a limit: NaN at ±∞. Accurate for |x| ≤ 1e6 (VMath.Sin/Cos); beyond, bounded but no longer accurate.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(x) * V.Sqrt(V.Abs(x));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(x);
        V r = V.Sqrt(V.Abs(x));
        // sin|x| = sin(x)·sign(x): flip s by x's sign bit.
        V d = V.Fma(c, r, (s ^ (x & V.Create(-0f))) / (V.Create(2f) * r));
        return V.Select(V.Equals(x, V.Create(0f)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Sin(x) * Math.Sqrt(Math.Abs(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        x == 0 ? 0 : Math.Cos(x) * Math.Sqrt(Math.Abs(x)) + Math.Sin(Math.Abs(x)) / (2 * Math.Sqrt(Math.Abs(x)));

    /// <summary>f″ = −sin(x)·√|x| + (cos(x)·sign(x) − sin(x)/(4|x|))/√|x|; 0 at 0 (unbounded there, odd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(x);
        V ax = V.Abs(x);
        V r = V.Sqrt(ax);
        // sin(x)/|x| rather than sin(x)/|x|^{3/2}: |x|·√|x| underflows for subnormal x, the quotient stays ≈ ±1.
        V d = V.Fma(-s, r, ((c ^ (x & V.Create(-0f))) - s / ax * V.Create(0.25f)) / r);
        return V.Select(V.Equals(x, V.Create(0f)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (x == 0 || double.IsNaN(x)) return x == 0 ? 0 : x;
        double r = Math.Sqrt(Math.Abs(x));
        return -Math.Sin(x) * r + (Math.Cos(x) * (x > 0 ? 1 : -1) - Math.Sin(x) / Math.Abs(x) / 4) / r;
    }
}
