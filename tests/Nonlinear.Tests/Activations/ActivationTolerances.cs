namespace Nonlinear.Tests.Activations;

/// <summary>
/// The accuracy each catalog entry promises, in one table so the generic suites need no per-activation code. A new entry
/// gets the defaults; an entry that needs more says why here.
/// </summary>
public static class ActivationTolerances
{
    /// <summary>
    /// Forward: |y − f(x)| ≤ Ulps·ulp(f(x)) + XUlps·ulp(x). XUlps is nonzero only where f(x) is a difference that cancels
    /// near a zero of f, so that absolute error is measured against the input's scale.
    /// </summary>
    public static (double Ulps, double XUlps) Forward(string name) =>
        FamilyTolerances.PiecewiseForward(name) ?? FamilyTolerances.SmoothForward(name) ?? CoreForward(name);

    private static (double Ulps, double XUlps) CoreForward(string name) => name switch
    {
        // x·σ(2u), u = √(2/π)(x + 0.044715x³): u is rounded (float constants, x², two products) before the exponential,
        // which multiplies that relative error by |2u|. The test adds ArgUlps·κ(x) ulp for this (κ = |x f′/f|).
        "gelu_tanh" => (4, 0),
        // x·Φ(x): Φ is within 6 ulp in the far left tail (VMath.NormalCdf's bound), plus the product.
        "gelu" => (7, 0),
        // x − tanh(x) cancels near 0 (≈ x³/3): tanh's 3 ulp become absolute error in units of ulp(x).
        "tanhshrink" => (2, 3),
        // (x + 3) rounds before the clamp: absolute error ≤ ½ulp(3) ≤ ulp(x) around x = −3, where f → 0.
        "hard_sigmoid" or "hard_swish" => (1, 1),
        // x − λ / x + λ: exact by Sterbenz near ±λ, otherwise one rounding.
        "softshrink" => (0.5, 0),
        // Piecewise linear / exact: at most one rounding (slope products, selu's scale).
        "identity" or "relu" or "relu6" or "hard_tanh" or "hardshrink" or "leaky_relu" => (0.5, 0),
        // Exponential-based: expm1/exp (≤ 2 ulp) times a constant; sigmoid/tanh-based ≤ 3 ulp plus a product.
        _ => (4, 0),
    };

    /// <summary>
    /// Relative rounding of the argument of an exponential inside f, in ulps: the forward test adds ArgUlps·κ(x)·ulp(f(x)),
    /// with κ(x) = |x·f′(x)/f(x)| the condition number (the error of evaluating f exactly at x(1 + ArgUlps·2⁻²⁴)).
    /// </summary>
    public static double ArgUlps(string name) =>
        name == "gelu_tanh" ? 3 : FamilyTolerances.PiecewiseArgUlps(name) ?? FamilyTolerances.SmoothArgUlps(name) ?? 0;

    /// <summary>
    /// The forward bound for one point: (Ulps + ArgUlps·κ(x))·ulp(f) + XUlps·ulp(x), plus (|x| + 1)·Ulps·2⁻¹⁴⁹ because
    /// gated forms x·g(x) multiply by a gate that may already be subnormal (a multiple of 2⁻¹⁴⁹), which only matters when
    /// the result is itself (nearly) subnormal. κ(x) = |x·f′(x)/f(x)| from the exact f and f′.
    /// </summary>
    public static double ForwardBound(string name, double x, double f, double df)
    {
        var (ulps, xUlps) = Forward(name);
        double kappa = f == 0 || !double.IsFinite(f) || !double.IsFinite(df) ? 0 : Math.Abs(x * df / f);
        return (ulps + ArgUlps(name) * kappa) * Tests.Kernels.Ulp.Of(f) + xUlps * Tests.Kernels.Ulp.Of(x)
               + (Math.Abs(x) + 1) * ulps * Math.ScaleB(1.0, -149);
    }

    /// <summary>
    /// The |x| up to which the float code promises its accuracy (∞ for most entries). Oscillating entries built on
    /// VMath.Sin/Cos promise it for |x| ≤ 1e6 only; beyond, the tests require finiteness to match the reference, and at ±∞
    /// (where such a function has no limit) a NaN reference must be matched by NaN.
    /// </summary>
    public static double AccurateRange(string name) => FamilyTolerances.SmoothAccurateRange(name) ?? double.PositiveInfinity;

    /// <summary>Factor on the absolute part of the composition test's tolerance (1 for most entries; see the family tables).</summary>
    public static double CompositionScale(string name) => FamilyTolerances.SmoothCompositionScale(name) ?? 1;

    /// <summary>
    /// Backward (dy = 1) against the exact derivative: |dx − f′(x)| ≤ Ulps·ulp(f′(x)) + Abs·2⁻²⁴. Abs is nonzero for the
    /// self-gated functions, whose derivative crosses zero at their minimum where its two terms (≈ ±0.3) cancel.
    /// Entries whose backward reads the output additionally get the error carried in from y (see the test).
    /// </summary>
    public static (double Ulps, double Abs) Backward(string name) =>
        FamilyTolerances.PiecewiseBackward(name) ?? FamilyTolerances.SmoothBackward(name) ?? CoreBackward(name);

    private static (double Ulps, double Abs) CoreBackward(string name) => name switch
    {
        "gelu" or "gelu_tanh" or "silu" or "mish" or "hard_swish" => (8, 2),
        // Constant slopes: exact, or the constant rounded to float once (1/6, negative_slope).
        "identity" or "relu" or "relu6" or "hard_tanh" or "hardshrink" or "softshrink" or "leaky_relu" or "hard_sigmoid" => (0.5, 0),
        _ => (6, 0),
    };
}
