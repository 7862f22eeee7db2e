using Nonlinear.Activations;
using Nonlinear.Kernels;
using Xunit;
using Xunit.Abstractions;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// ∂f/∂θ of every parametric catalog entry: the double reference against central finite differences in θ (at the default
/// and at one other value of each parameter), the float ParameterBackward sum against the double reference sum, and
/// identical bits on every SIMD tier. Iterates the catalog: a new parametric entry needs no new test code.
/// </summary>
public class ActivationParameterTests(ITestOutputHelper output)
{
    private static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    public static TheoryData<string> ParametricNames()
    {
        var d = new TheoryData<string>();
        foreach (var e in ActivationCatalog.All.Where(e => e.Info.Parameters.Count > 0)) d.Add(e.Info.Name);
        return d;
    }

    /// <summary>A second value for parameter k inside its range: 1.25× the default (0.1 for a zero default), else 0.8×.</summary>
    internal static double OtherValue(ActivationParameter p)
    {
        if (double.IsInfinity(p.Default)) return 6; // e.g. relu_keras max_value = ∞ (no clip)
        double v = p.Default == 0 ? 0.1 : p.Default * 1.25;
        if (v < p.Min || v > p.Max) v = p.Default == 0 ? -0.1 : p.Default * 0.8;
        return Math.Clamp(v, p.Min, p.Max);
    }

    private static double F32(double v) => (float)v;

    [Theory, MemberData(nameof(ParametricNames))]
    public void ReferenceParameterDerivativeMatchesFiniteDifferences(string name)
    {
        var entry = ActivationCatalog.Get(name);
        var ps = entry.Info.Parameters;
        var xs = Enumerable.Range(0, 93).Select(i => -7.93 + i * 0.1731).Concat([-23.7, -13.1, 11.3, 27.9]).ToArray();
        for (int k = 0; k < ps.Count; k++)
            foreach (double theta in new[] { ps[k].Default, OtherValue(ps[k]) }.Where(double.IsFinite))
            {
                // Kernels may store parameters as float: step between float values and divide by the actual step.
                double h = 1e-4 * Math.Max(1, Math.Abs(theta));
                double p0 = F32(theta), pm = F32(theta - h), pp = F32(theta + h);
                if (pm < ps[k].Min || pp > ps[k].Max) { pm = p0; pp = F32(theta + 2 * h); }
                Activation At(double v) { var vals = ps.Select(p => p.Default).ToArray(); vals[k] = v; return entry.Create(vals); }
                Activation a0 = At(p0), am = At(pm), ap = At(pp);
                int checkedPoints = 0;
                double worst = 0;
                foreach (double x in xs)
                {
                    double f0 = a0.Reference(x), fm = am.Reference(x), fp = ap.Reference(x);
                    double right = (fp - f0) / (pp - p0), left = pm == p0 ? right : (f0 - fm) / (p0 - pm);
                    double fd = (fp - fm) / (pp - pm);
                    double d = a0.ReferenceParameterDerivative(x, k);
                    // A kink in θ (the one-sided slopes disagree beyond their O(h·∂²f/∂θ²) spread) is skipped; a wrong
                    // derivative away from kinks has both one-sided slopes agreeing with each other and not with it.
                    if (Math.Abs(right - left) > 1e-2 * (1 + Math.Abs(fd))) continue;
                    checkedPoints++;
                    double tol = 1e-5 * (1 + Math.Abs(d)) + 1e-9 * Math.Abs(f0) / h + Math.Abs(right - left);
                    Assert.True(Math.Abs(fd - d) <= tol,
                        $"{name}: ∂f/∂{ps[k].Name} at x = {x}, {ps[k].Name} = {p0:R}: reference {d:R}, finite differences {fd:R}");
                    worst = Math.Max(worst, Math.Abs(fd - d));
                }
                Assert.True(checkedPoints >= xs.Length * 3 / 4, $"{name}: only {checkedPoints} of {xs.Length} points away from kinks in {ps[k].Name}");
                output.WriteLine($"{name} ∂/∂{ps[k].Name} at {p0:R}: {checkedPoints} points, max |fd − ∂f/∂θ| = {worst:E2}");
            }
    }

    [Theory, MemberData(nameof(ParametricNames))]
    public void ParameterBackwardMatchesDoubleReferenceSum(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var kinks = a.Info.Kinks;
        var rng = new Nonlinear.Tensors.Rng(11);
        var x = Enumerable.Range(0, 3001).Select(_ => rng.NextInt(2) == 0 ? (float)(rng.NextGaussian() * 3) : (float)(rng.NextDouble() * 60 - 30))
            .Where(v => !kinks.Any(c => Math.Abs(v - c) < 1e-3)).ToArray();
        var dy = x.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = new float[x.Length];
        a.Forward(x, y);
        var grads = new double[a.Parameters.Count];
        a.ParameterBackward(x, y, dy, grads);
        for (int k = 0; k < grads.Length; k++)
        {
            double exact = 0, scale = 0, abs = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double d = a.ReferenceParameterDerivative(x[i], k);
                exact += dy[i] * d;
                scale += Math.Abs(dy[i] * d);
                abs += Math.Abs(dy[i]);
            }
            // Each float ∂f/∂θ is within a few ulp (≤ 1e-6 relative) or, where it is a difference that cancels (celu near 0),
            // within ~2⁻²⁴ absolute at unit scale; the double sum of float products adds nothing comparable.
            double tol = 1e-6 * scale + 1e-7 * abs;
            Assert.True(Math.Abs(grads[k] - exact) <= tol,
                $"{name}: Σ dy·∂f/∂{a.Info.Parameters[k].Name} = {grads[k]:R}, double reference {exact:R} (tol {tol:E2})");
            output.WriteLine($"{name} ∂/∂{a.Info.Parameters[k].Name}: |float − double| = {Math.Abs(grads[k] - exact):E2} (tol {tol:E2})");
        }
    }

    [Theory, MemberData(nameof(ParametricNames))]
    public void ParameterBackwardGivesIdenticalBitsOnEveryTierAndLength(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var x = Mixed(100, 21).Select(v => float.IsFinite(v) ? v : 2.5f).ToArray();
        var dy = Mixed(100, 22).Select(v => float.IsFinite(v) ? v : -1f).ToArray();
        var y = new float[x.Length];
        a.Forward(x, y);
        var g0 = new double[a.Parameters.Count];
        var g = new double[a.Parameters.Count];
        for (int n = 0; n <= x.Length; n += n < 40 ? 1 : 7)
        {
            a.ParameterBackward(x.AsSpan(0, n), y.AsSpan(0, n), dy.AsSpan(0, n), g0, SimdTier.Scalar);
            foreach (var tier in Tiers)
            {
                a.ParameterBackward(x.AsSpan(0, n), y.AsSpan(0, n), dy.AsSpan(0, n), g, tier);
                for (int k = 0; k < g.Length; k++)
                    Assert.True(BitConverter.DoubleToInt64Bits(g[k]) == BitConverter.DoubleToInt64Bits(g0[k]) || (double.IsNaN(g[k]) && double.IsNaN(g0[k])),
                        $"{name} n = {n}: {tier} grads[{k}] = {g[k]:R}, scalar {g0[k]:R}");
            }
        }
    }

    [Fact]
    public void FixedEntriesHaveNoParameterGradients()
    {
        var relu = ActivationCatalog.Get("relu").Create();
        float[] x = [1, -1], y = [1, 0], dy = [1, 1];
        relu.ParameterBackward(x, y, dy, Span<double>.Empty);
        var e = Assert.Throws<ArgumentException>(() => relu.ParameterBackward(x, y, dy, new double[1]));
        Assert.Contains("grads has length 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => relu.ReferenceParameterDerivative(1, 0));
    }

    [Fact]
    public void ParameterBackwardChecksLengthsAndAgreesWithAHandSum()
    {
        var lrelu = ActivationCatalog.Parse("leaky_relu(0.2)");
        float[] x = [-2, 3, -0.5f], dy = [1, 5, -2], y = new float[3];
        lrelu.Forward(x, y);
        var g = new double[1];
        lrelu.ParameterBackward(x, y, dy, g);
        Assert.Equal(1 * -2.0 + -2 * -0.5, g[0]); // Σ dy·min(x, 0)
        Assert.Throws<ArgumentException>(() => lrelu.ParameterBackward(x, y.AsSpan(0, 2), dy, g));
        Assert.Throws<ArgumentException>(() => lrelu.ParameterBackward(x.AsSpan(0, 2), y, dy, g));
    }

    [Fact]
    public void DuplicateNamesOrAliasesAreRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ActivationCatalog.Index([Relu.Entry, Relu.Entry]));
        Assert.Contains("declared twice", e.Message);
        var alias = new ActivationEntry(Relu.Entry.Info with { Name = "my_relu", Aliases = ["leakyrelu"] }, _ => Relu.Entry.Create());
        Assert.Throws<InvalidOperationException>(() => ActivationCatalog.Index([LeakyRelu.Entry, alias]));
        Assert.True(ActivationCatalog.All.Count > 0); // the real catalog initialised, so it has no duplicates
    }
}
