using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// An activation written as a scalar float formula only (no vector formula, e.g. one that needs MathF.Pow). Wrapped in
/// <see cref="LaneWise{S}"/> it runs through the same driver as fused kernels, one lane at a time; every tier calls the same
/// scalar code per lane, so the results are bit-identical across tiers as for fused kernels.
/// </summary>
internal interface IScalarActivation
{
    /// <summary>f(x) in float.</summary>
    float Forward(float x);
    /// <summary>The backward rule in float, given x and y = f(x).</summary>
    float Derivative(float x, float y);
    /// <summary>f(x) in double precision.</summary>
    double Reference(double x);
    /// <summary>f′(x) in double precision.</summary>
    double ReferenceDerivative(double x);
    /// <summary>f″(x) in double precision (0 on linear pieces).</summary>
    double ReferenceSecondDerivative(double x);
}

/// <summary>A scalar activation with hyper-parameters and ∂f/∂θ_k.</summary>
internal interface IScalarParametricActivation : IScalarActivation
{
    /// <summary>∂f/∂θ_<paramref name="index"/> in float, given x and y = f(x).</summary>
    float ParameterDerivative(float x, float y, int index);
    /// <summary>∂f/∂θ_<paramref name="index"/> in double precision.</summary>
    double ReferenceParameterDerivative(double x, int index);
}

/// <summary>
/// Marks kernels whose vector path is lane by lane (read into <see cref="ActivationInfo.FusedVectorPath"/>). Activations run such
/// kernels through the driver's one-lane loop on every tier: spilling a register to apply a scalar formula per lane gives the same
/// bits but costs a store and a reload per vector, so the one-lane loop is the faster generic path.
/// </summary>
internal interface ILaneWiseKernel;

/// <summary>Lane-wise vector path over a scalar formula: spill the register, apply f per lane, reload.</summary>
internal static class LaneWiseOps
{
    [InlineArray(16)]
    internal struct Lanes { private float _e; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Map<V, S>(in S s, V x) where V : struct, ISimdVec<V> where S : struct, IScalarActivation
    {
        // One lane (the path Activation uses for lane-wise kernels): no spill; typeof(V) is a JIT-time constant.
        if (typeof(V) == typeof(Scalar))
        {
            var r = new Scalar(s.Forward(Unsafe.As<V, Scalar>(ref x).V));
            return Unsafe.As<Scalar, V>(ref r);
        }
        Lanes a = default;
        V.Store(x, ref a[0]);
        for (int i = 0; i < V.Count; i++) a[i] = s.Forward(a[i]);
        return V.Load(ref a[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V MapDerivative<V, S>(in S s, V x, V y) where V : struct, ISimdVec<V> where S : struct, IScalarActivation
    {
        if (typeof(V) == typeof(Scalar))
        {
            var r = new Scalar(s.Derivative(Unsafe.As<V, Scalar>(ref x).V, Unsafe.As<V, Scalar>(ref y).V));
            return Unsafe.As<Scalar, V>(ref r);
        }
        Lanes a = default, b = default;
        V.Store(x, ref a[0]);
        V.Store(y, ref b[0]);
        for (int i = 0; i < V.Count; i++) a[i] = s.Derivative(a[i], b[i]);
        return V.Load(ref a[0]);
    }

    /// <summary>f″ lane by lane from the double reference, rounded once (the same bits on every tier).</summary>
    public static V MapSecondDerivative<V, K>(in K k, V x) where V : struct, ISimdVec<V> where K : struct, ISecondDerivativeKernel
    {
        Lanes a = default;
        V.Store(x, ref a[0]);
        for (int i = 0; i < V.Count; i++) a[i] = (float)k.ReferenceSecondDerivative(a[i]);
        return V.Load(ref a[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V MapParameter<V, S>(in S s, V x, V y, int index) where V : struct, ISimdVec<V> where S : struct, IScalarParametricActivation
    {
        if (typeof(V) == typeof(Scalar))
        {
            var r = new Scalar(s.ParameterDerivative(Unsafe.As<V, Scalar>(ref x).V, Unsafe.As<V, Scalar>(ref y).V, index));
            return Unsafe.As<Scalar, V>(ref r);
        }
        Lanes a = default, b = default;
        V.Store(x, ref a[0]);
        V.Store(y, ref b[0]);
        for (int i = 0; i < V.Count; i++) a[i] = s.ParameterDerivative(a[i], b[i], index);
        return V.Load(ref a[0]);
    }
}

/// <summary>The kernel of a fixed scalar-only activation: vector registers are processed lane by lane.</summary>
internal readonly struct LaneWise<S>(S scalar) : IActivationKernel, ILaneWiseKernel, IReferenceSecondDerivative<LaneWise<S>> where S : struct, IScalarActivation
{
    private readonly S _s = scalar;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => LaneWiseOps.Map(_s, x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => LaneWiseOps.MapDerivative(_s, x, y);
    /// <inheritdoc/>
    public double Reference(double x) => _s.Reference(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => _s.ReferenceDerivative(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => _s.ReferenceSecondDerivative(x);
}

/// <summary>The kernel of a parametric scalar-only activation: vector registers are processed lane by lane.</summary>
internal readonly struct ParametricLaneWise<S>(S scalar) : IParametricActivationKernel, ILaneWiseKernel, IReferenceSecondDerivative<ParametricLaneWise<S>> where S : struct, IScalarParametricActivation
{
    private readonly S _s = scalar;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => LaneWiseOps.Map(_s, x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => LaneWiseOps.MapDerivative(_s, x, y);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => LaneWiseOps.MapParameter(_s, x, y, index);
    /// <inheritdoc/>
    public double Reference(double x) => _s.Reference(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => _s.ReferenceDerivative(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => _s.ReferenceSecondDerivative(x);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => _s.ReferenceParameterDerivative(x, index);
}
