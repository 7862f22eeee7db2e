using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x| ≤ lambd ? 0 : |x| ≤ gamma·lambd ? sign(x)·(|x| − lambd)·gamma/(gamma − 1) : x; f′ = |x| ≤ lambd ? 0 : |x|
/// ≤ gamma·lambd ? gamma/(gamma − 1) : 1. Zhang, "Nearly unbiased variable selection under minimax concave penalty",
/// 2010.
/// </summary>
internal readonly struct McpThreshold : IParametricActivationKernel, IPiecewiseLinear<McpThreshold>
{
    private readonly float _lambd, _gamma;
    private readonly float _slope;

    /// <summary>Threshold lambd, identity beyond gamma·lambd.</summary>
    public McpThreshold(float lambd, float gamma)
    {
        (_lambd, _gamma) = (lambd, gamma);
        _slope = (float)((double)gamma / ((double)gamma - 1));
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "mcp_threshold", Aliases = ["mcp"], Family = "shrink",
        Formula = "|x| ≤ lambd ? 0 : |x| ≤ gamma·lambd ? sign(x)·(|x| − lambd)·gamma/(gamma − 1) : x",
        Derivative = "|x| ≤ lambd ? 0 : |x| ≤ gamma·lambd ? gamma/(gamma − 1) : 1",
        Parameters =
        [
            new("lambd", 1.0, "threshold", Min: 0.0),
            new("gamma", 3.0, "concavity; the identity starts at gamma·lambd (> 1)", Min: 1.000001),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-3.0, -1.0, 1.0, 3.0],
        Paper = "Nearly unbiased variable selection under minimax concave penalty", Year = 2010,
        Notes = "The MCP thresholding rule; the same function as firm_threshold(lambd, gamma·lambd) in another parametrisation. At the kinks f′ is the left piece's slope. In the middle ∂f/∂lambd = −sign(x)·gamma/(gamma − 1) and ∂f/∂gamma = −sign(x)·(|x| − lambd)/(gamma − 1)²; 0 elsewhere.",
    }, p => new McpThreshold((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x), l = V.Create(_lambd);
        V r = V.Select(V.LessThanOrEqual(ax, V.Create(_gamma * _lambd)), V.Create(_slope) * (ax - l), ax);
        return V.Select(V.IsNaN(x), x, V.Select(V.LessThanOrEqual(ax, l), V.Create(0f), r) | (x & V.Create(-0f)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x);
        return V.Select(V.LessThanOrEqual(ax, V.Create(_lambd)), V.Create(0f), V.Select(V.LessThanOrEqual(ax, V.Create(_gamma * _lambd)), V.Create(_slope), V.Create(1f)));
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x), l = _lambd, g = _gamma;
        double r = ax <= l ? 0 : ax <= g * l ? (ax - l) * g / (g - 1) : ax;
        return Math.CopySign(r, x);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double ax = Math.Abs(x), l = _lambd, g = _gamma;
        return ax <= l ? 0 : ax <= g * l ? g / (g - 1) : 1;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V ax = V.Abs(x), l = V.Create(_lambd), s = x & V.Create(-0f);
        V mid = V.GreaterThan(ax, l) & V.LessThanOrEqual(ax, V.Create(_gamma * _lambd));
        float w = (float)(1 / (((double)_gamma - 1) * ((double)_gamma - 1)));
        return index == 0 ? mid & (V.Create(-_slope) ^ s) : mid & ((V.Create(-w) * (ax - l)) ^ s);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double ax = Math.Abs(x), l = _lambd, g = _gamma, sg = x > 0 ? 1 : -1;
        if (!(ax > l && ax <= g * l)) return 0;
        return index == 0 ? -sg * g / (g - 1) : -sg * (ax - l) / ((g - 1) * (g - 1));
    }
}
