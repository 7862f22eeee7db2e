namespace Nonlinear.Kernels;

/// <summary>An elementwise function y = f(x), written once for every register width.</summary>
internal interface IUnaryKernel
{
    /// <summary>f applied lane-wise.</summary>
    V Forward<V>(V x) where V : struct, ISimdVec<V>;
}

/// <summary>An elementwise function with the rule its backward pass uses: dx = dy · Derivative(x, y).</summary>
internal interface IDifferentiableKernel : IUnaryKernel
{
    /// <summary>∂y/∂x lane-wise, given the input x and the output y = f(x); a kernel reads whichever it declared it saves.</summary>
    V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>;
}
