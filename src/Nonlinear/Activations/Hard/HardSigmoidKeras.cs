using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, min(1, alpha·x + beta)); f′ = 0 &lt; alpha·x + beta &lt; 1 ? alpha : 0.
/// </summary>
internal readonly struct HardSigmoidKeras(float alpha, float beta) : IParametricActivationKernel, IPiecewiseLinear<HardSigmoidKeras>
{
    private readonly float _alpha = alpha, _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "hard_sigmoid_keras", Aliases = ["hard_sigmoid_onnx", "keras_hard_sigmoid"], Family = "hard",
        Formula = "max(0, min(1, alpha·x + beta))",
        Derivative = "0 < alpha·x + beta < 1 ? alpha : 0",
        Parameters =
        [
            new("alpha", 0.2, "slope", "ONNX HardSigmoid alpha 0.2; Theano and Keras < 3 fixed 0.2"),
            new("beta", 0.5, "value at 0", "ONNX HardSigmoid beta 0.5"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [-2.5, 2.5],
        Notes = "The Theano / Keras 2 / ONNX convention (linear on [−2.5, 2.5]); PyTorch's and Keras 3's hard_sigmoid is relu6(x + 3)/6 (slope 1/6). alpha·x + beta is one fused multiply-add. f′ = 0 at the kinks. ∂f/∂alpha = x and ∂f/∂beta = 1 on the linear segment, else 0.",
    }, p => new HardSigmoidKeras((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max(V.Fma(V.Create(_alpha), x, V.Create(_beta)), V.Create(0f)), V.Create(1f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V z = V.Fma(V.Create(_alpha), x, V.Create(_beta));
        return V.GreaterThan(z, V.Create(0f)) & V.LessThan(z, V.Create(1f)) & V.Create(_alpha);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max(_alpha * x + _beta, 0), 1);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double z = _alpha * x + _beta;
        return z > 0 && z < 1 ? _alpha : 0;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V z = V.Fma(V.Create(_alpha), x, V.Create(_beta));
        V inside = V.GreaterThan(z, V.Create(0f)) & V.LessThan(z, V.Create(1f));
        return index == 0 ? inside & x : inside & V.Create(1f);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double z = _alpha * x + _beta;
        bool inside = z > 0 && z < 1;
        return inside ? (index == 0 ? x : 1) : 0;
    }
}
