using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// f″ of every catalog entry that declares it: the double reference against central differences of the reference f′,
/// the SIMD form bit-identical on every tier and close to the reference, special values; every entry whose backward
/// is f′ declares it, and surrogate-gradient entries refuse higher-order gradients by name.
/// </summary>
public class SecondDerivativeTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    public static TheoryData<string> Declared()
    {
        var d = new TheoryData<string>();
        foreach (var e in ActivationCatalog.All) if (e.Create().SecondDerivativeKernel is not null) d.Add(e.Info.Name);
        return d;
    }

    private static ISecondDerivativeKernel Kernel(Activation a) => a.SecondDerivativeKernel!;

    // Points in [−6, 6] at least 1e-3 away from every declared kink.
    private static IEnumerable<double> SmoothPoints(Activation a)
    {
        for (int i = 0; i <= 240; i++)
        {
            double x = -6 + 0.05 * i + 0.0123;
            if (a.Info.Kinks.Any(k => Math.Abs(x - k) < 1e-3)) continue;
            yield return x;
        }
    }

    [Theory, MemberData(nameof(Declared))]
    public void ReferenceMatchesFiniteDifferencesOfTheFirstDerivative(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var k = Kernel(a);
        const double h = 1e-5;
        foreach (double x in SmoothPoints(a))
        {
            double fd = (a.ReferenceDerivative(x + h) - a.ReferenceDerivative(x - h)) / (2 * h);
            double exact = k.ReferenceSecondDerivative(x);
            // Central difference in double: truncation h²/6·|f⁗| ≲ 1e-9, rounding ε/h ≈ 2e-11.
            Assert.True(Math.Abs(exact - fd) <= 1e-7 * (1 + Math.Abs(fd)), $"{name} f″({x}) = {exact:R}; finite differences of f′ give {fd:R}");
        }
    }

    [Theory, MemberData(nameof(Declared))]
    public void EveryTierGivesIdenticalBitsCloseToTheReference(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var k = Kernel(a);
        var x = Mixed(256, 3);
        foreach (int n in new[] { 0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 65, 256 })
        {
            var d0 = new float[n];
            k.SecondDerivatives(x.AsSpan(0, n), d0, SimdTier.Scalar);
            foreach (var tier in Tiers)
            {
                var d = new float[n];
                k.SecondDerivatives(x.AsSpan(0, n), d, tier);
                for (int i = 0; i < n; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(d[i]) == BitConverter.SingleToInt32Bits(d0[i]) || (float.IsNaN(d[i]) && float.IsNaN(d0[i])),
                        $"{name} f″({x[i]:R}) n = {n}: {tier} {d[i]:R} vs scalar {d0[i]:R}");
            }
        }
        var all = new float[x.Length];
        k.SecondDerivatives(x, all, SimdTier.Auto);
        for (int i = 0; i < x.Length; i++)
        {
            // Beyond 1e6 our float sin/cos leave their ≤ 1 ulp range (VMath.Sin), so periodic entries are compared up to there.
            if (!float.IsFinite(x[i]) || Math.Abs(x[i]) > 1e6 || a.Info.Kinks.Any(kk => Math.Abs(x[i] - kk) < 1e-3)) continue;
            double r = k.ReferenceSecondDerivative(x[i]);
            // Beyond float's range (exp, cube, repu) the only right answer is the overflowed value itself.
            if (float.IsInfinity((float)r)) { Assert.True(all[i] == (float)r, $"{name} f″({x[i]:R}) = {all[i]:R}; reference {r:R} overflows float"); continue; }
            // A few float roundings of values of order max(1, |f″|); the formulas hold no catastrophic cancellation.
            Assert.True(Math.Abs(all[i] - r) <= 2e-6 * (1 + Math.Abs(r)), $"{name} f″({x[i]:R}) = {all[i]:R}; reference {r:R}");
        }
    }

    [Theory, MemberData(nameof(Declared))]
    public void SpecialValues(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var k = Kernel(a);
        float[] x = [400f, -400f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f];
        var d = new float[x.Length];
        k.SecondDerivatives(x, d, SimdTier.Auto);
        for (int i = 0; i < 4; i++)
        {
            double r = k.ReferenceSecondDerivative(x[i]);
            // Finite wherever the reference is within float's range (sin(±∞) is NaN, so sine's f″ is too, like its f′).
            if (double.IsNaN(r) && i >= 2) { Assert.True(float.IsNaN(d[i]), $"{name} f″({x[i]}) = {d[i]}; reference NaN"); continue; }
            if (float.IsInfinity((float)r)) { Assert.True(d[i] == (float)r, $"{name} f″({x[i]}) = {d[i]}; reference {r:R} overflows float"); continue; }
            Assert.True(float.IsFinite(d[i]), $"{name} f″({x[i]}) = {d[i]}: not finite");
            Assert.True(Math.Abs(d[i] - r) <= 2e-6 * (1 + Math.Abs(r)), $"{name} f″({x[i]}) = {d[i]:R}; reference {r:R}");
        }
        // NaN in, NaN out exactly when f′ does so (relu's mask gives 0 for both).
        var y = new float[1];
        var d1 = new float[1];
        a.Forward([float.NaN], y);
        a.Backward([float.NaN], y, [1f], d1);
        Assert.True(float.IsNaN(d[4]) == float.IsNaN(d1[0]), $"{name} f″(NaN) = {d[4]} but f′(NaN) = {d1[0]}");
        Assert.True(float.IsFinite(d[5]) && float.IsFinite(d[6]), $"{name} f″(±0) not finite");
    }

    [Theory, MemberData(nameof(Declared))]
    public void CreateGraphThroughTheEntryGivesTheSecondDerivative(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var xs = new[] { -1.7f, -0.3f, 0.45f, 1.3f, 2.2f };
        var x = Tensor.From(xs).RequireGrad();
        var y = Ops.Sum(a.Apply(x));
        var g = Autograd.Grad([y], [x], createGraph: true)[0];
        var h = Autograd.Grad([Ops.Sum(g)], [x], allowUnused: true)[0].ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double r = Kernel(a).ReferenceSecondDerivative(xs[i]);
            Assert.True(Math.Abs(h[i] - r) <= 2e-6 * (1 + Math.Abs(r)), $"{name}: d²/dx² at {xs[i]} = {h[i]:R}; reference {r:R}");
        }
    }

    [Fact]
    public void EveryEntryWithAnExactBackwardDeclaresItsSecondDerivative()
    {
        var missing = ActivationCatalog.All.Select(e => e.Create())
            .Where(a => a.Info.BackwardIsExact && a.SecondDerivativeKernel is null && !a.HasComposedDerivative)
            .Select(a => a.Info.Name).ToArray();
        Assert.True(missing.Length == 0, $"entries without f″: {string.Join(", ", missing)}");
    }

    public static TheoryData<string> Surrogates()
    {
        var d = new TheoryData<string>();
        foreach (var e in ActivationCatalog.All) if (!e.Info.BackwardIsExact) d.Add(e.Info.Name);
        return d;
    }

    [Theory, MemberData(nameof(Surrogates))]
    public void CreateGraphThroughASurrogateGradientRefusesNamingTheEntry(string name)
    {
        // A straight-through or surrogate backward is not f′, so differentiating it again would be silently wrong.
        var a = ActivationCatalog.Get(name).Create();
        var x = Tensor.From(0.3f, 0.7f).RequireGrad();
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([Ops.Sum(a.Apply(x))], [x], createGraph: true));
        Assert.Contains($"'{name}'", ex.Message);
        Assert.Contains("surrogate", ex.Message);
    }
}
