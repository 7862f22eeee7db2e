using Nonlinear.Activations;
using Nonlinear.Kernels;
using Nonlinear.Tests.Activations;
using Xunit;

namespace Nonlinear.Tests.Formula;

/// <summary>
/// The formula tape gives the same bits on every SIMD tier, at every length (block and vector tails), in place, and when a
/// large span is split across threads; and its float values stay close to the double evaluation of the formula.
/// (This namespace is in .ci/run's kernel filter, so it also runs with AVX-512 and with all SIMD disabled.)
/// </summary>
public sealed class FormulaTierTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    /// <summary>Formulas touching every vectorised function, the lane-wise ones, powers, constants and shared subtrees.</summary>
    public static TheoryData<string> Formulas() =>
    [
        "x*sigmoid(x)", "x*tanh(softplus(x))", "max(x,0)", "x*erfc(-x/sqrt(2))/2", "sin(x)*cos(x) + tan(x/8)",
        "sinh(x/10) + cosh(x/10) + atan(x)", "asin(tanh(x)/2)*acos(sigmoid(x)) + atanh(tanh(x)/2)", "abs(x)*sgn(x) + exp(-x^2) + gaussian(x)",
        "erf(x) + log(1 + x^2) + sqrt(1 + x^2)", "x^3/100 + pow(abs(x), 1.5) - min(x, 2*x)", "sinc(x/16 + 1.5) + j0(x) + lgamma(2 + abs(x))",
        "x*sigmoid(x)*sigmoid(x) - sigmoid(x)", "x",
    ];

    private static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));

    private static (float[] Y, float[] Dx) Run(Activation a, float[] x, float[] dy, SimdTier tier)
    {
        var y = new float[x.Length];
        var dx = new float[x.Length];
        a.Forward(x, y, tier);
        a.Backward(x, default, dy, dx, tier);
        return (y, dx);
    }

    [Theory, MemberData(nameof(Formulas))]
    public void EveryTierAndLengthGivesIdenticalBits(string formula)
    {
        var a = ActivationCatalog.Parse(formula);
        var x = ActivationTestData.Mixed(300, 3);
        var dy = ActivationTestData.Mixed(300, 4).Select(v => float.IsFinite(v) ? v : 1f).ToArray();
        for (int n = 0; n <= 300; n += n < 70 ? 1 : 23)
        {
            var (y0, d0) = Run(a, x[..n], dy[..n], SimdTier.Scalar);
            foreach (var tier in Tiers)
            {
                var (y, d) = Run(a, x[..n], dy[..n], tier);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Same(y0[i], y[i]), $"{formula} forward x = {x[i]:R}, n = {n}: {tier} {y[i]:R} vs scalar {y0[i]:R}");
                    Assert.True(Same(d0[i], d[i]), $"{formula} backward x = {x[i]:R}, n = {n}: {tier} {d[i]:R} vs scalar {d0[i]:R}");
                }
            }
        }
        var inPlace = (float[])x.Clone();
        a.Forward(inPlace, inPlace);
        var grad = (float[])dy.Clone();
        a.Backward(x, default, grad, grad);
        var (yRef, dRef) = Run(a, x, dy, SimdTier.Auto);
        Assert.True(inPlace.Zip(yRef).All(p => Same(p.First, p.Second)), $"{formula} in-place forward differs");
        Assert.True(grad.Zip(dRef).All(p => Same(p.First, p.Second)), $"{formula} in-place backward (dx over dy) differs");
    }

    [Fact]
    public void ThreadsAndBlocksDoNotChangeBits()
    {
        // 300,001 elements: above the parallel threshold, not a multiple of the block or of any vector width.
        var a = ActivationCatalog.Parse("x*tanh(softplus(x)) + sin(x)*sigmoid(x)");
        var rng = new Nonlinear.Tensors.Rng(5);
        var x = Enumerable.Range(0, 300_001).Select(_ => (float)(rng.NextGaussian() * 4)).ToArray();
        var dy = Enumerable.Range(0, x.Length).Select(_ => rng.NextFloat()).ToArray();
        var (y, d) = Run(a, x, dy, SimdTier.Auto);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var (y1, d1) = Run(a, x, dy, SimdTier.Scalar);
            Assert.True(y.Zip(y1).All(p => Same(p.First, p.Second)), "forward differs between threaded Auto and one-thread Scalar");
            Assert.True(d.Zip(d1).All(p => Same(p.First, p.Second)), "backward differs between threaded Auto and one-thread Scalar");
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory, MemberData(nameof(Formulas))]
    public void FloatValuesFollowTheDoubleFormula(string formula)
    {
        // 64 ulp relative plus 1e-6 absolute: each op is within 2–3 ulp, a dozen of them compose, and near a zero of the
        // formula (sin·cos, x − …) the absolute term takes over. A wrong op or a swapped operand is off by far more.
        var a = ActivationCatalog.Parse(formula);
        var xs = Enumerable.Range(-500, 1001).Select(k => k / 97f).ToArray();
        var y = new float[xs.Length];
        var d = new float[xs.Length];
        a.Forward(xs, y);
        a.Backward(xs, default, Enumerable.Repeat(1f, xs.Length).ToArray(), d);
        for (int i = 0; i < xs.Length; i++)
        {
            double r = a.Reference(xs[i]), rd = a.ReferenceDerivative(xs[i]);
            if (double.IsFinite(r)) Assert.True(Math.Abs(y[i] - r) <= 64 * 1.2e-7 * Math.Abs(r) + 1e-6, $"{formula} at {xs[i]:R}: {y[i]:R} vs {r:R}");
            if (double.IsFinite(rd) && Math.Abs(rd) < 1e6)
                Assert.True(Math.Abs(d[i] - rd) <= 64 * 1.2e-7 * Math.Abs(rd) + 1e-5 * (1 + Math.Abs(xs[i])), $"{formula} f′ at {xs[i]:R}: {d[i]:R} vs {rd:R}");
        }
    }
}
