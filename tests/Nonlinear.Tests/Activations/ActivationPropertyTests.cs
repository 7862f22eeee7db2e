using Nonlinear.Activations;
using Xunit;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// The declared shape properties (Monotonic, BoundedAbove, BoundedBelow, ZeroCentred) agree with the double reference at
/// default parameters, in both directions: a declared property holds numerically, and an undeclared one fails somewhere.
/// The probes are a dense grid on [−20, 20] (step 10⁻³) plus ±10ᵏ up to ±10³⁰⁰ and ±∞.
/// </summary>
public class ActivationPropertyTests
{
    private static readonly double[] Probes = BuildProbes();

    private static double[] BuildProbes()
    {
        var xs = new List<double>();
        for (int i = 0; i <= 40_000; i++) xs.Add(-20 + i * 1e-3);
        foreach (int k in new[] { 2, 3, 4, 6, 9, 12, 20, 30, 38, 60, 100, 200, 300 }) { xs.Add(Math.Pow(10, k)); xs.Add(-Math.Pow(10, k)); }
        xs.Add(double.PositiveInfinity); xs.Add(double.NegativeInfinity);
        xs.Sort();
        return xs.ToArray();
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void DeclaredPropertiesHoldNumerically(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var props = a.Info.Properties;
        // NaN (e.g. a periodic function at ±∞) carries no information about shape: skip it.
        var pts = Probes.Select(x => (X: x, F: a.Reference(x))).Where(p => !double.IsNaN(p.F)).ToArray();
        double max = pts.Max(p => p.F), min = pts.Min(p => p.F);

        // Non-decreasing, up to double rounding of the reference (relative 1e-12).
        var drop = pts.Zip(pts.Skip(1)).FirstOrDefault(p => p.Second.F < p.First.F - 1e-12 * Math.Max(1, Math.Abs(p.First.F)));
        bool monotonic = drop == default;
        Assert.True(monotonic == props.HasFlag(ActivationProperties.Monotonic),
            monotonic ? $"{name} is non-decreasing on every probe but not declared Monotonic"
                      : $"{name} is declared Monotonic but f({drop.First.X:R}) = {drop.First.F:R} > f({drop.Second.X:R}) = {drop.Second.F:R}");

        // Bounded: finite and within ±10⁶ everywhere (an unbounded activation passes 10⁶ by x = 10³⁰⁰ or is infinite at ∞).
        bool boundedAbove = max < 1e6, boundedBelow = min > -1e6;
        Assert.True(boundedAbove == props.HasFlag(ActivationProperties.BoundedAbove),
            $"{name}: declared BoundedAbove = {props.HasFlag(ActivationProperties.BoundedAbove)}, but the largest probe value is {max:R}");
        Assert.True(boundedBelow == props.HasFlag(ActivationProperties.BoundedBelow),
            $"{name}: declared BoundedBelow = {props.HasFlag(ActivationProperties.BoundedBelow)}, but the smallest probe value is {min:R}");

        // Zero-centred (see ActivationProperties.ZeroCentred): f(0) = 0, both signs, and not fading to 0 on one side.
        double Tail(double sign) => pts.Where(p => Math.Sign(p.X) == sign).MaxBy(p => Math.Abs(p.X)).F;
        bool odd = Probes.Where(double.IsFinite).All(x => a.Reference(-x).Equals(-a.Reference(x)));
        bool zeroCentred = a.Reference(0) == 0 && max > 0 && min < 0
                           && (odd || props.HasFlag(ActivationProperties.Periodic) || (Tail(-1) < 0 && Tail(1) > 0));
        Assert.True(zeroCentred == props.HasFlag(ActivationProperties.ZeroCentred),
            $"{name}: declared ZeroCentred = {props.HasFlag(ActivationProperties.ZeroCentred)}, but f(0) = {a.Reference(0):R}, range [{min:R}, {max:R}]");
    }
}
