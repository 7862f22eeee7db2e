using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x| ≤ 2·lambd ? sign(x)·max(|x| − lambd, 0) : |x| ≤ a·lambd ? ((a − 1)·x − sign(x)·a·lambd)/(a − 2) : x; f′ =
/// |x| ≤ lambd ? 0 : |x| ≤ 2·lambd ? 1 : |x| ≤ a·lambd ? (a − 1)/(a − 2) : 1. Fan and Li, "Variable Selection via
/// Nonconcave Penalized Likelihood and its Oracle Properties", 2001.
/// </summary>
internal readonly struct ScadThreshold : IParametricActivationKernel, IPiecewiseLinear<ScadThreshold>
{
    private readonly float _lambd, _a;
    private readonly float _slope;

    /// <summary>Threshold lambd, unbiased beyond a·lambd.</summary>
    public ScadThreshold(float lambd, float a)
    {
        (_lambd, _a) = (lambd, a);
        _slope = (float)(((double)a - 1) / ((double)a - 2));
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "scad_threshold", Aliases = ["scad"], Family = "shrink",
        Formula = "|x| ≤ 2·lambd ? sign(x)·max(|x| − lambd, 0) : |x| ≤ a·lambd ? ((a − 1)·x − sign(x)·a·lambd)/(a − 2) : x",
        Derivative = "|x| ≤ lambd ? 0 : |x| ≤ 2·lambd ? 1 : |x| ≤ a·lambd ? (a − 1)/(a − 2) : 1",
        Parameters =
        [
            new("lambd", 1.0, "threshold", Min: 0.0),
            new("a", 3.7, "where the estimate becomes unbiased (a·lambd); must exceed 2", "Fan and Li recommend 3.7", Min: 2.000001),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-3.7, -2.0, -1.0, 1.0, 2.0, 3.7],
        Paper = "Variable Selection via Nonconcave Penalized Likelihood and its Oracle Properties", Year = 2001,
        Notes = "The SCAD thresholding rule: soft thresholding near 0, the identity beyond a·lambd, linear in between. The middle piece is evaluated as sign(x)·(lambd + (a − 1)/(a − 2)·(|x| − 2·lambd)), which does not cancel. At each kink f′ is the left piece's slope. In the middle ∂f/∂lambd = sign(x)·(1 − 2(a − 1)/(a − 2)) and ∂f/∂a = −sign(x)·(|x| − 2·lambd)/(a − 2)²; on the soft piece ∂f/∂lambd = −sign(x); 0 elsewhere.",
    }, p => new ScadThreshold((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x), l = V.Create(_lambd);
        V soft = V.Max(ax - l, V.Create(0f));
        V mid = V.Fma(V.Create(_slope), ax - (l + l), l);
        V r = V.Select(V.LessThanOrEqual(ax, l + l), soft, V.Select(V.LessThanOrEqual(ax, V.Create(_a * _lambd)), mid, ax));
        return V.Select(V.IsNaN(x), x, r | (x & V.Create(-0f)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x), l = V.Create(_lambd);
        V r = V.Select(V.LessThanOrEqual(ax, V.Create(_a * _lambd)), V.Create(_slope), V.Create(1f));
        r = V.Select(V.LessThanOrEqual(ax, l + l), V.Create(1f), r);
        return V.Select(V.LessThanOrEqual(ax, l), V.Create(0f), r);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x), l = _lambd, s = ((double)_a - 1) / ((double)_a - 2);
        double r = ax <= 2 * l ? Math.Max(ax - l, 0) : ax <= (double)_a * l ? l + s * (ax - 2 * l) : ax;
        return Math.CopySign(r, x);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double ax = Math.Abs(x), l = _lambd;
        return ax <= l ? 0 : ax <= 2 * l ? 1 : ax <= (double)_a * l ? ((double)_a - 1) / ((double)_a - 2) : 1;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x), l = V.Create(_lambd), s = x & V.Create(-0f);
        V softZone = V.GreaterThan(ax, l) & V.LessThanOrEqual(ax, l + l);
        V midZone = V.GreaterThan(ax, l + l) & V.LessThanOrEqual(ax, V.Create(_a * _lambd));
        float w = (float)(1 / (((double)_a - 2) * ((double)_a - 2)));
        if (index == 0) return (softZone & (V.Create(-1f) ^ s)) | (midZone & (V.Create(1f - 2f * _slope) ^ s));
        return midZone & ((V.Create(-w) * (ax - (l + l))) ^ s);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double ax = Math.Abs(x), l = _lambd, a = _a, sg = x > 0 ? 1 : -1;
        bool soft = ax > l && ax <= 2 * l, mid = ax > 2 * l && ax <= a * l;
        if (index == 0) return soft ? -sg : mid ? sg * (1 - 2 * (a - 1) / (a - 2)) : 0;
        return mid ? -sg * (ax - 2 * l) / ((a - 2) * (a - 2)) : 0;
    }
}
