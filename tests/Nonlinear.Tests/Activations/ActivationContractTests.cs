using Nonlinear.Activations;
using Nonlinear.Kernels;
using Nonlinear.Tests.Kernels;
using Xunit;
using Xunit.Abstractions;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// The contract every catalog entry must meet, run over <see cref="ActivationCatalog.All"/> with default parameters:
/// identical bits on every SIMD tier and length, float close to the double reference, reference derivative equal to
/// finite differences, and sensible special values. A new entry is covered without new test code.
/// </summary>
public class ActivationContractTests(ITestOutputHelper output)
{
    private static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    private static Activation Get(string name) => ActivationCatalog.Get(name).Create();

    private static (float[] Y, float[] Dx) Run(Activation a, float[] x, float[] dy, SimdTier tier)
    {
        var y = new float[x.Length];
        var dx = new float[x.Length];
        a.Forward(x, y, tier);
        var uses = a.Info.Uses;
        a.Backward(uses == BackwardUses.Output ? default : x, uses == BackwardUses.Input ? default : y, dy, dx, tier);
        return (y, dx);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void EveryTierAndLengthGivesIdenticalBits(string name)
    {
        var a = Get(name);
        var x = Mixed(256, 1);
        var dy = Mixed(256, 2).Select(v => float.IsFinite(v) ? v : 1f).ToArray();
        for (int n = 0; n <= 256; n++)
        {
            var (y0, d0) = Run(a, x[..n], dy[..n], SimdTier.Scalar);
            foreach (var tier in Tiers)
            {
                var (y, d) = Run(a, x[..n], dy[..n], tier);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Same(y0[i], y[i]), $"{name} forward x = {x[i]:R}, n = {n}: {tier} {y[i]:R} vs scalar {y0[i]:R}");
                    Assert.True(Same(d0[i], d[i]), $"{name} backward x = {x[i]:R}, n = {n}: {tier} {d[i]:R} vs scalar {d0[i]:R}");
                }
            }
        }
        // In place (x and y the same memory) gives the same result.
        var inPlace = (float[])x.Clone();
        a.Forward(inPlace, inPlace);
        var (yRef, _) = Run(a, x, dy, SimdTier.Auto);
        Assert.True(inPlace.Zip(yRef).All(p => Same(p.First, p.Second)), $"{name} in-place forward differs");
    }

    private static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void ForwardMatchesDoubleReference(string name)
    {
        var a = Get(name);
        var (ulps, xUlps) = ActivationTolerances.Forward(name);
        double argUlps = ActivationTolerances.ArgUlps(name);
        var x = Dense().Concat(Mixed(20_000, 3)).ToArray();
        var y = new float[x.Length];
        a.Forward(x, y);
        double worst = 0;
        double range = ActivationTolerances.AccurateRange(name);
        for (int i = 0; i < x.Length; i++)
        {
            double r = a.Reference(x[i]);
            if (Math.Abs(x[i]) > range)
            {
                Assert.True(float.IsFinite(y[i]) == double.IsFinite(r) && float.IsNaN(y[i]) == double.IsNaN(r),
                    $"{name}({x[i]:R}) = {y[i]:R} beyond the accurate range, reference {r:R}");
                continue;
            }
            double err = Ulp.Error(y[i], r);
            double bound = ActivationTolerances.ForwardBound(name, x[i], r, a.ReferenceDerivative(x[i]));
            if (double.IsInfinity(err) || err * Ulp.Of(r) > bound)
                Assert.Fail($"{name}({x[i]:R}) = {y[i]:R}, reference {r:R} ({err:F2} ulp; bound {ulps} ulp + {xUlps} ulp(x))");
            if (xUlps == 0 && argUlps == 0 && Math.Abs(r) >= 1.1754943508222875e-38) worst = Math.Max(worst, err);
        }
        output.WriteLine($"{name}: max forward error {worst:F3} ulp (bound {ulps})");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void ReferenceDerivativeMatchesFiniteDifferences(string name)
    {
        var a = Get(name);
        var kinks = a.Info.Kinks;
        double worst = 0;
        for (double x = -12; x <= 12; x += 0.0137)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(x));
            if (kinks.Any(k => Math.Abs(x - k) < 100 * h)) continue;
            double fd = (a.Reference(x + h) - a.Reference(x - h)) / (2 * h);
            double d = a.ReferenceDerivative(x);
            // Central differences: truncation ~h²·f‴ ≈ 1e-12, rounding ~1e-16·|f|/h ≤ 1e-9 here.
            double tol = 1e-8 * (1 + Math.Abs(d)) + 1e-9 * Math.Abs(a.Reference(x)) / Math.Max(1, Math.Abs(x));
            Assert.True(Math.Abs(fd - d) <= tol, $"{name}′({x}) = {d:R}, finite differences {fd:R}");
            worst = Math.Max(worst, Math.Abs(fd - d));
        }
        output.WriteLine($"{name}: max |fd − f′| = {worst:E2}");
    }

    [Fact]
    public void ReferenceBackwardIsTheDerivativeExactlyWhenDeclaredExact()
    {
        foreach (var e in ActivationCatalog.All)
        {
            var a = e.Create();
            bool same = Enumerable.Range(0, 401).Select(i => -10 + i * 0.05).All(x => a.ReferenceBackward(x).Equals(a.ReferenceDerivative(x)));
            Assert.True(same == e.Info.BackwardIsExact, $"{e.Info.Name}: BackwardIsExact = {e.Info.BackwardIsExact} but the backward rule {(same ? "equals" : "differs from")} f′ on [−10, 10]");
        }
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void BackwardMatchesReferenceDerivative(string name)
    {
        var a = Get(name);
        var (ulps, abs) = ActivationTolerances.Backward(name);
        var kinks = a.Info.Kinks;
        double range = ActivationTolerances.AccurateRange(name);
        var x = Dense().Concat(Mixed(20_000, 4)).Where(float.IsFinite).Where(v => Math.Abs(v) <= range)
            .Where(v => !kinks.Any(k => Math.Abs(v - k) < 1e-4)).ToArray();
        var ones = Enumerable.Repeat(1f, x.Length).ToArray();
        var (y, dx) = Run(a, x, ones, SimdTier.Auto);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            // The declared backward rule: f′, or the surrogate of an entry with BackwardIsExact = false (HeLU).
            double d = a.ReferenceBackward(x[i]);
            if (float.IsInfinity((float)d))
            {
                // A derivative beyond float's range must come out as that infinity (as Ulp.Error demands of values).
                Assert.True(dx[i] == (float)d, $"{name}′({x[i]:R}) backward {dx[i]:R}, reference {d:R} overflows float");
                continue;
            }
            double tol = ulps * Ulp.Of(d) + abs * Math.ScaleB(1.0, -24);
            if (a.Info.Uses != BackwardUses.Input)
            {
                // f′ written in y is evaluated at the rounded y: the error carried in is |∂f′/∂y|·|y − f(x)| = |f″/f′|·|Δy|.
                double h = 1e-5 * Math.Max(1, Math.Abs(x[i]));
                double f2 = (a.ReferenceBackward(x[i] + h) - a.ReferenceBackward(x[i] - h)) / (2 * h);
                if (d != 0) tol += 2 * Math.Abs(f2 / d) * (Math.Abs(y[i] - a.Reference(x[i])) + Ulp.Of(y[i]));
            }
            if (float.IsInfinity((float)d))
            {
                // f′ beyond float range (x², x³ near float.MaxValue) must come back as that infinity.
                Assert.True(dx[i] == (float)d, $"{name}′({x[i]:R}) backward {dx[i]:R}, reference {d:R} overflows float");
                continue;
            }
            double err = Math.Abs(dx[i] - d);
            Assert.True(err <= tol, $"{name}′({x[i]:R}) backward {dx[i]:R}, reference {d:R} (err {err:E2}, tol {tol:E2})");
            if (tol > 0) worst = Math.Max(worst, err / tol);
        }
        output.WriteLine($"{name}: max backward error / tolerance = {worst:F3}");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void SpecialValuesGiveLimitsAndFiniteGradients(string name)
    {
        var a = Get(name);
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 400f, -400f, 0f, -0f, float.MaxValue, float.MinValue];
        var ones = Enumerable.Repeat(1f, x.Length).ToArray();
        var (y, dx) = Run(a, x, ones, SimdTier.Auto);
        Assert.True(float.IsNaN(y[0]), $"{name}(NaN) = {y[0]}");
        double range = ActivationTolerances.AccurateRange(name);
        for (int i = 1; i < x.Length; i++)
        {
            double r = a.Reference(x[i]);
            if (Math.Abs(x[i]) > range)
            {
                // Oscillating entries: no limit at ±∞ (NaN there, as the reference), finite wherever the reference is.
                Assert.True(float.IsNaN(y[i]) == double.IsNaN(r) && float.IsFinite(y[i]) == double.IsFinite(r), $"{name}({x[i]:R}) = {y[i]:R}, reference {r:R}");
                double dr = a.ReferenceDerivative(x[i]);
                Assert.True(float.IsNaN(dx[i]) == double.IsNaN(dr), $"{name}′({x[i]:R}) = {dx[i]:R}, reference {dr:R}");
                continue;
            }
            Assert.False(double.IsNaN(r), $"{name} reference at {x[i]} is NaN");
            Assert.True(Ulp.Error(y[i], r) <= 4, $"{name}({x[i]:R}) = {y[i]:R}, limit {r:R}");
            if (r == 0) Assert.True(double.IsNegative(r) == float.IsNegative(y[i]), $"{name}({x[i]:R}) = {y[i]:R}: sign of zero differs from reference {r:R}");
            double d = a.ReferenceBackward(x[i]);
            Assert.False(double.IsNaN(d), $"{name}′ reference at {x[i]} is NaN");
            // A derivative beyond float range (x², x³ at float.MaxValue) must come back as that infinity.
            if (float.IsInfinity((float)d)) Assert.True(dx[i] == (float)d, $"{name}′({x[i]:R}) = {dx[i]:R}, limit {d:R} (overflows float)");
            else Assert.True(Math.Abs(dx[i] - d) <= 1e-6 * Math.Max(1, Math.Abs(d)), $"{name}′({x[i]:R}) = {dx[i]:R}, limit {d:R}");
            if (float.IsFinite(y[i]) && !float.IsInfinity((float)d)) Assert.True(float.IsFinite(dx[i]), $"{name}′({x[i]:R}) = {dx[i]} where f is finite");
        }
    }
}
