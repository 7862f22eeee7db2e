using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sign(x)·max(|x| − l1, 0)/(1 + l2); f′ = |x| &gt; l1 ? 1/(1 + l2) : 0. Zou and Hastie, "Regularization and
/// variable selection via the elastic net", 2005.
/// </summary>
internal readonly struct ElasticNetThreshold : IParametricActivationKernel, IPiecewiseLinear<ElasticNetThreshold>
{
    private readonly float _l1, _l2;
    private readonly float _inv;

    /// <summary>Weights of |x| and x²/2.</summary>
    public ElasticNetThreshold(float l1, float l2)
    {
        (_l1, _l2) = (l1, l2);
        _inv = (float)(1 / (1 + (double)l2));
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "elastic_net_threshold", Aliases = ["elastic_net_prox"], Family = "shrink",
        Formula = "sign(x)·max(|x| − l1, 0)/(1 + l2)",
        Derivative = "|x| > l1 ? 1/(1 + l2) : 0",
        Parameters =
        [
            new("l1", 1.0, "weight of |x| (dead-zone half-width)", Min: 0.0),
            new("l2", 1.0, "weight of x²/2 (shrinks the slope)", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "Regularization and variable selection via the elastic net", Year = 2005,
        Notes = "The proximal operator of l1·|x| + l2·x²/2: soft thresholding followed by a shrink of 1/(1 + l2). f′(±l1) = 0. ∂f/∂l1 = |x| > l1 ? −sign(x)/(1 + l2) : 0; ∂f/∂l2 = −f/(1 + l2).",
    }, p => new ElasticNetThreshold((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        (V.Max(V.Abs(x) - V.Create(_l1), V.Create(0f)) * V.Create(_inv)) | (x & V.Create(-0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(V.Abs(x), V.Create(_l1)) & V.Create(_inv);
    /// <inheritdoc/>
    public double Reference(double x) => Math.CopySign(Math.Max(Math.Abs(x) - _l1, 0) / (1 + (double)_l2), x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > _l1 ? 1 / (1 + (double)_l2) : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V s = x & V.Create(-0f);
        if (index == 0) return V.GreaterThan(V.Abs(x), V.Create(_l1)) & (V.Create(-_inv) ^ s);
        return (V.Max(V.Abs(x) - V.Create(_l1), V.Create(0f)) * V.Create(-_inv * _inv)) ^ s;
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double d = 1 + (double)_l2;
        if (index == 0) return Math.Abs(x) > _l1 ? -(x > 0 ? 1 : -1) / d : 0;
        return -Reference(x) / d;
    }
}
