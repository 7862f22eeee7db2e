using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Activations;

/// <summary>
/// An activation kernel that also declares f″: a SIMD form (every tier, bit-identical, checked by the contract tests
/// through <see cref="FirstDerivativeKernel{K}"/>) and a double reference (checked against finite differences of f′).
/// Implement <see cref="ISecondDerivative{TSelf}"/> rather than this interface directly.
/// </summary>
internal interface ISecondDerivativeKernel : IActivationKernel
{
    /// <summary>f″ lane-wise, given x and y = f(x).</summary>
    V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V>;

    /// <summary>The exact f″(x) in double precision (0 on the flat pieces of a piecewise-linear function; kinks as f′'s convention).</summary>
    double ReferenceSecondDerivative(double x);

    /// <summary>f′(x) as a recorded tensor whose backward is g·f″(x): what a createGraph backward multiplies the gradient by.</summary>
    Tensor DerivativeTensor(Tensor x, string name);

    /// <summary>d2 = f″(x) over a span through the SIMD driver at <paramref name="tier"/> (what the tier tests compare).</summary>
    void SecondDerivatives(ReadOnlySpan<float> x, Span<float> d2, SimdTier tier);
}

/// <summary>Self-typed so the one generic op below runs on the unboxed kernel <typeparamref name="TSelf"/>.</summary>
internal interface ISecondDerivative<TSelf> : ISecondDerivativeKernel where TSelf : struct, ISecondDerivative<TSelf>
{
    Tensor ISecondDerivativeKernel.DerivativeTensor(Tensor x, string name) => SecondOrder.DerivativeOp((TSelf)this, x, name);

    void ISecondDerivativeKernel.SecondDerivatives(ReadOnlySpan<float> x, Span<float> d2, SimdTier tier)
    {
        var ones = new float[x.Length];
        ones.AsSpan().Fill(1f);
        UnaryDriver.Backward(new FirstDerivativeKernel<TSelf>((TSelf)this), x, default, ones, d2, tier);
    }
}

/// <summary>
/// An entry that declares f″ by its double reference only. The vector form evaluates that reference lane by lane and
/// rounds once, so every tier gives the same bits within half an ulp of the exact value; f″ runs only on the createGraph
/// path (PINNs, gradient penalties, Hessian-vector products), where one double evaluation per element is small beside
/// the graph it feeds. A NaN input gives NaN exactly where the entry's own f′ does (a mask such as relu's gives 0).
/// </summary>
internal interface IReferenceSecondDerivative<TSelf> : ISecondDerivative<TSelf> where TSelf : struct, IReferenceSecondDerivative<TSelf>
{
    V ISecondDerivativeKernel.SecondDerivative<V>(V x, V y)
    {
        V d2 = LaneWiseOps.MapSecondDerivative((TSelf)this, x);
        return V.Select(V.Equals(x, x), d2, Derivative(x, Forward(x)) * V.Create(0f));
    }
}

/// <summary>
/// A piecewise-linear entry: f″ = 0 off its kinks. The Dirac masses at the kinks are dropped, as every autograd
/// framework does (torch's relu double backward is 0); NaN where f′ is NaN.
/// </summary>
internal interface IPiecewiseLinear<TSelf> : ISecondDerivative<TSelf> where TSelf : struct, IPiecewiseLinear<TSelf>
{
    V ISecondDerivativeKernel.SecondDerivative<V>(V x, V y) => Derivative(x, Forward(x)) * V.Create(0f);

    double ISecondDerivativeKernel.ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : 0;
}

/// <summary>
/// An activation whose f′ can be written with recorded tensor ops (tanh: 1 − y²); derivatives of every order then
/// follow, which physics-informed training needs (a second-order residual differentiated by the parameters is a third
/// derivative of the activation).
/// </summary>
internal interface IComposedDerivative
{
    /// <summary>f′(x) as recorded ops of the input x and the output y = f(x).</summary>
    Tensor Derivative(Tensor x, Tensor y);
}

/// <summary>f′ seen as a function of its own: forward K.Derivative(x, f(x)), derivative K.SecondDerivative(x, f(x)).</summary>
internal readonly struct FirstDerivativeKernel<K>(K kernel) : IDifferentiableKernel where K : struct, ISecondDerivativeKernel
{
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => kernel.Derivative(x, kernel.Forward(x));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => kernel.SecondDerivative(x, kernel.Forward(x));
}

/// <summary>The createGraph side of an activation's backward.</summary>
internal static class SecondOrder
{
    /// <summary>f′(x) as a recorded tensor for the differentiable rule of activation <paramref name="info"/>.</summary>
    /// <exception cref="InvalidOperationException">The entry declares neither a composed derivative nor f″, or its backward is a surrogate.</exception>
    public static Tensor Derivative<K>(in K kernel, ActivationInfo info, Tensor x, Tensor y) where K : struct, IActivationKernel
    {
        if (!info.BackwardIsExact)
            throw new InvalidOperationException($"activation '{info.Name}' uses a surrogate gradient, not f′: createGraph (higher-order gradients) cannot differentiate it.");
        // Type tests on a struct type parameter: JIT-time constants; the box happens only on the createGraph path.
        if (kernel is IComposedDerivative composed) return composed.Derivative(x, y);
        if (kernel is ISecondDerivativeKernel second) return second.DerivativeTensor(x, info.Name);
        throw new InvalidOperationException($"activation '{info.Name}' does not declare its second derivative yet: createGraph (higher-order gradients) cannot pass through it.");
    }

    /// <summary>f′(x) by the fused kernel, recorded with backward g·f″(x) (fused too); a third derivative raises.</summary>
    public static Tensor DerivativeOp<K>(K kernel, Tensor x, string name) where K : struct, ISecondDerivativeKernel
    {
        var d1 = new FirstDerivativeKernel<K>(kernel);
        var xc = x.Contiguous();
        var y = Tensor.FromArray(GC.AllocateUninitializedArray<float>(xc.Length), xc.Shape.ToArray());
        UnaryDriver.Forward(d1, xc.AsSpanUntracked(), y.AsSpanUntracked());
        return Autograd.Record(y, name + "′", [xc], g =>
        {
            var gc = g.Contiguous();
            var dx = Tensor.FromArray(GC.AllocateUninitializedArray<float>(gc.Length), gc.Shape.ToArray());
            UnaryDriver.Backward(d1, xc.AsSpanUntracked(), default, gc.AsSpanUntracked(), dx.AsSpanUntracked());
            return [dx];
        }, saved: [xc]);
    }
}
