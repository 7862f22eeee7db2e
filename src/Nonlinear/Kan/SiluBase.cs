using System.Runtime.CompilerServices;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// The residual branch b(x) = silu(x) = x·σ(x) of a KAN edge (pykan's base_fun), as a one-function basis so that it
/// shares the feature matrix and the GEMM with the spline: b′(x) = σ(x)·(1 + x·(1 − σ(x))).
/// </summary>
internal readonly struct SiluBase : IKanBasisKernel
{
    private static readonly Silu F = new(1f);

    public int Count => 1;


    public int ScratchPerLane => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V> => V.Store(F.Forward(x), ref dst);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V InputGrad<V>(int i, V x, ref float g, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V> => V.Load(ref g) * F.Derivative(x, x);

    /// <summary>silu′(x) (the sparse B-spline path stores it beside the window derivatives).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Slope<V>(V x) where V : unmanaged, ISimdVec<V> => F.Derivative(x, x);

    /// <summary>silu(x) in double.</summary>
    public static double Reference(double x) => F.Reference(x);
    /// <summary>silu′(x) in double.</summary>
    public static double ReferenceDerivative(double x) => F.ReferenceDerivative(x);
}
