using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x|; f′ = sign(x) (0 at 0). Equivalent to torch.abs. Jarrett et al., "What is the Best Multi-Stage
/// Architecture for Object Recognition?", 2009.
/// </summary>
internal readonly struct Abs : IActivationKernel, IPiecewiseLinear<Abs>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Abs>(new ActivationInfo
    {
        Name = "abs", Aliases = ["absolute", "abs_val"], Family = "polynomial",
        Formula = "|x|",
        Derivative = "sign(x) (0 at 0)",
        Properties = ActivationProperties.BoundedBelow | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "What is the Best Multi-Stage Architecture for Object Recognition?", Year = 2009,
        Notes = "Absolute-value rectification (Caffe AbsVal). f′(0) = 0, as PyTorch's abs backward (sign(0) = 0).",
        PyTorch = "torch.abs",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Abs(x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        (V.GreaterThan(x, V.Create(0f)) & V.Create(1f)) | (V.LessThan(x, V.Create(0f)) & V.Create(-1f));
    /// <inheritdoc/>
    public double Reference(double x) => Math.Abs(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : x < 0 ? -1 : 0;
}
