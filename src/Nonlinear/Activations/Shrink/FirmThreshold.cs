using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x| ≤ lambda1 ? 0 : |x| ≥ lambda2 ? x : sign(x)·lambda2·(|x| − lambda1)/(lambda2 − lambda1); f′ = |x| ≤
/// lambda1 ? 0 : |x| ≥ lambda2 ? 1 : lambda2/(lambda2 − lambda1). Gao and Bruce, "WaveShrink with Firm Shrinkage",
/// 1997.
/// </summary>
internal readonly struct FirmThreshold : IParametricActivationKernel, IPiecewiseLinear<FirmThreshold>
{
    private readonly float _lambda1, _lambda2;
    private readonly float _slope;

    /// <summary>Dead zone up to lambda1, identity from lambda2.</summary>
    /// <exception cref="ArgumentException">lambda1 ≥ lambda2.</exception>
    public FirmThreshold(float lambda1, float lambda2)
    {
        if (!(lambda1 < lambda2))
            throw new InvalidInputException($"firm_threshold: lambda1 must be below lambda2; got lambda1 = {lambda1}, lambda2 = {lambda2}.", nameof(lambda1));
        (_lambda1, _lambda2) = (lambda1, lambda2);
        _slope = (float)((double)lambda2 / ((double)lambda2 - lambda1));
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "firm_threshold", Aliases = ["firm_shrink"], Family = "shrink",
        Formula = "|x| ≤ lambda1 ? 0 : |x| ≥ lambda2 ? x : sign(x)·lambda2·(|x| − lambda1)/(lambda2 − lambda1)",
        Derivative = "|x| ≤ lambda1 ? 0 : |x| ≥ lambda2 ? 1 : lambda2/(lambda2 − lambda1)",
        Parameters =
        [
            new("lambda1", 0.5, "end of the dead zone", Min: 0.0),
            new("lambda2", 1.0, "start of the identity (> lambda1)", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-1.0, -0.5, 0.5, 1.0],
        Paper = "WaveShrink with Firm Shrinkage", Year = 1997,
        Notes = "Continuous interpolation between hard and soft thresholding. f′ at the kinks: 0 at ±lambda1, the middle slope at ±lambda2. Requires lambda1 < lambda2. In the middle segment ∂f/∂lambda1 = sign(x)·lambda2·(|x| − lambda2)/(lambda2 − lambda1)², ∂f/∂lambda2 = −sign(x)·lambda1·(|x| − lambda1)/(lambda2 − lambda1)²; both 0 elsewhere.",
    }, p => new FirmThreshold((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V mid = V.Create(_slope) * (a - V.Create(_lambda1));
        V r = V.Select(V.GreaterThanOrEqual(a, V.Create(_lambda2)), a, V.Select(V.GreaterThan(a, V.Create(_lambda1)), mid, V.Create(0f)));
        return V.Select(V.IsNaN(x), x, r | (x & V.Create(-0f)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        return V.Select(V.GreaterThanOrEqual(a, V.Create(_lambda2)), V.Create(1f), V.GreaterThan(a, V.Create(_lambda1)) & V.Create(_slope));
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x), l1 = _lambda1, l2 = _lambda2;
        double r = a >= l2 ? a : a > l1 ? l2 * (a - l1) / (l2 - l1) : 0;
        return Math.CopySign(r, x);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double a = Math.Abs(x);
        return a >= _lambda2 ? 1 : a > _lambda1 ? (double)_lambda2 / ((double)_lambda2 - _lambda1) : 0;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V mid = V.GreaterThan(a, V.Create(_lambda1)) & V.LessThan(a, V.Create(_lambda2));
        float w = (float)(1.0 / (((double)_lambda2 - _lambda1) * ((double)_lambda2 - _lambda1)));
        V d = index == 0 ? V.Create(_lambda2 * w) * (a - V.Create(_lambda2)) : V.Create(-_lambda1 * w) * (a - V.Create(_lambda1));
        return mid & (d ^ (x & V.Create(-0f)));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double a = Math.Abs(x), l1 = _lambda1, l2 = _lambda2;
        if (!(a > l1 && a < l2)) return 0;
        double d = index == 0 ? l2 * (a - l2) : -l1 * (a - l1);
        return Math.Sign(x) * d / ((l2 - l1) * (l2 - l1));
    }
}
