using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;
using Xunit.Abstractions;
using static Nonlinear.Tests.Kernels.VMathAccuracyTests;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// VMath.Sin/Cos/SinCos/Atan against double Math.Sin/Cos/Atan on every register width: the ulp bounds their XML docs state
/// (measured maxima printed), the absolute bound of the extended range, the bounded output beyond it, and special values.
/// </summary>
public class VMathTrigTests(ITestOutputHelper output)
{
    internal struct SinFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(x); }
    internal struct CosFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Cos(x); }
    internal struct SinOfSinCosFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.SinCos(x).Sin; }
    internal struct CosOfSinCosFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.SinCos(x).Cos; }
    internal struct AtanFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Atan(x); }

    /// <summary>Max ulp error over the grid, asserting that every tier gives the same bits; also the max absolute error.</summary>
    private (double Ulps, double Abs) Measure<F>(Func<double, double> reference, float[] x) where F : struct, IFn
    {
        double worst = 0, worstAbs = 0;
        float at = float.NaN;
        float[]? first = null;
        foreach (var tier in Tiers)
        {
            var y = Run<F>(tier, x);
            first ??= y;
            Assert.Equal(first, y);
            for (int i = 0; i < x.Length; i++)
            {
                double r = reference(x[i]);
                double e = Ulp.Error(y[i], r);
                if (e > worst) (worst, at) = (e, x[i]);
                worstAbs = Math.Max(worstAbs, Math.Abs(y[i] - r));
            }
        }
        output.WriteLine($"{typeof(F).Name} on [{x.Min()}, {x.Max()}]: max {worst:F3} ulp at x = {at:R}, max |err| {worstAbs:E2}");
        return (worst, worstAbs);
    }

    /// <summary>Floats nearest to multiples of π/2 (where sin or cos is tiny and the reduction cancels hardest), up to |x| = 1e5.</summary>
    private static float[] NearMultiplesOfHalfPi()
    {
        var xs = new List<float>();
        for (int k = -63_000; k <= 63_000; k += 7)
        {
            float c = (float)(k * Math.PI / 2);
            xs.Add(c);
            xs.Add(MathF.BitIncrement(c));
            xs.Add(MathF.BitDecrement(c));
        }
        return xs.ToArray();
    }

    [Theory]
    [InlineData(-4f, 4f)]
    [InlineData(-1e4f, 1e4f)]
    [InlineData(-1e6f, 1e6f)]
    public void SinWithin1Ulp(float lo, float hi) => Assert.InRange(Measure<SinFn>(Math.Sin, Grid(lo, hi)).Ulps, 0, 1.0);

    [Theory]
    [InlineData(-4f, 4f)]
    [InlineData(-1e4f, 1e4f)]
    [InlineData(-1e6f, 1e6f)]
    public void CosWithin1Ulp(float lo, float hi) => Assert.InRange(Measure<CosFn>(Math.Cos, Grid(lo, hi)).Ulps, 0, 1.0);

    [Fact]
    public void SinAndCosWithin1UlpNearMultiplesOfHalfPi()
    {
        var x = NearMultiplesOfHalfPi();
        Assert.InRange(Measure<SinFn>(Math.Sin, x).Ulps, 0, 1.0);
        Assert.InRange(Measure<CosFn>(Math.Cos, x).Ulps, 0, 1.0);
    }

    [Fact]
    public void ExtendedRangeHasSmallAbsoluteError()
    {
        var x = Grid(1e6f, 1.6e7f, 100_000).Select((v, i) => i % 2 == 0 ? v : -v).ToArray();
        Assert.InRange(Measure<SinFn>(Math.Sin, x).Abs, 0, 1e-6);
        Assert.InRange(Measure<CosFn>(Math.Cos, x).Abs, 0, 1e-6);
    }

    [Fact]
    public void BeyondTheRangeResultsStayFiniteAndBounded()
    {
        // (The uniform half of this grid overflows to +∞ in (hi − lo)·i; only finite inputs are the point here.)
        var x = Grid(1.6e7f, float.MaxValue, 50_000).Where(float.IsFinite).Select((v, i) => i % 2 == 0 ? v : -v).ToArray();
        foreach (var tier in Tiers)
            foreach (var y in Run<SinFn>(tier, x).Concat(Run<CosFn>(tier, x)))
                Assert.True(float.IsFinite(y) && MathF.Abs(y) <= 1f, $"{tier}: {y}");
    }

    [Fact]
    public void SinCosGivesTheSameBitsAsSinAndCos()
    {
        var x = Grid(-2e5f, 2e5f, 50_000).Concat([float.NaN, float.PositiveInfinity, -0f, 0f, 1e-40f, 3e38f]).ToArray();
        foreach (var tier in Tiers)
        {
            Assert.Equal(Run<SinFn>(tier, x), Run<SinOfSinCosFn>(tier, x));
            Assert.Equal(Run<CosFn>(tier, x), Run<CosOfSinCosFn>(tier, x));
        }
    }

    [Theory]
    [InlineData(-1e4f, 1e4f)]
    [InlineData(-3f, 3f)]
    [InlineData(-3e38f, 3e38f)]
    public void AtanWithin2Ulp(float lo, float hi) => Assert.InRange(Measure<AtanFn>(Math.Atan, Grid(lo, hi)).Ulps, 0, 2.0);

    private static void Exactly<F>(params (float X, float Expected)[] cases) where F : struct, IFn
    {
        var x = cases.Select(c => c.X).ToArray();
        foreach (var tier in Tiers)
        {
            var y = Run<F>(tier, x);
            for (int i = 0; i < x.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(y[i]) == BitConverter.SingleToInt32Bits(cases[i].Expected)
                            || (float.IsNaN(y[i]) && float.IsNaN(cases[i].Expected)),
                    $"{typeof(F).Name}({x[i]:R}) on {tier} = {y[i]:R}, expected {cases[i].Expected:R}");
        }
    }

    [Fact]
    public void SpecialValues()
    {
        const float Inf = float.PositiveInfinity, NaN = float.NaN;
        Exactly<SinFn>((NaN, NaN), (Inf, NaN), (-Inf, NaN), (0f, 0f), (-0f, -0f), (1e-40f, 1e-40f), (-1e-40f, -1e-40f),
            (1e-30f, 1e-30f), (-1e-30f, -1e-30f), (400f, (float)Math.Sin(400)), (-400f, (float)Math.Sin(-400)));
        Exactly<CosFn>((NaN, NaN), (Inf, NaN), (-Inf, NaN), (0f, 1f), (-0f, 1f), (1e-40f, 1f), (1e-30f, 1f),
            (400f, (float)Math.Cos(400)), (-400f, (float)Math.Cos(-400)));
        Exactly<AtanFn>((NaN, NaN), (Inf, (float)(Math.PI / 2)), (-Inf, -(float)(Math.PI / 2)), (0f, 0f), (-0f, -0f),
            (1e-40f, 1e-40f), (-1e-40f, -1e-40f), (1f, (float)(Math.PI / 4)), (3e38f, (float)(Math.PI / 2)));
    }

    [Fact]
    public void DriverGivesTheSameBitsAtEveryLengthAndTier()
    {
        var rng = new Rng(7);
        var x = Enumerable.Range(0, 256).Select(_ => (float)(rng.NextDouble() * 200 - 100)).ToArray();
        foreach (int n in Enumerable.Range(0, 257))
        {
            var y0 = new float[n];
            UnaryDriver.Forward(new SinKernel(), x.AsSpan(0, n), y0, SimdTier.Scalar);
            foreach (var tier in Tiers)
            {
                var y = new float[n];
                UnaryDriver.Forward(new SinKernel(), x.AsSpan(0, n), y, tier);
                Assert.Equal(y0, y);
            }
        }
    }

    [Fact]
    public void TensorOpsDifferentiateByFiniteDifferences()
    {
        var xs = new[] { -7.5f, -2f, -0.3f, 0f, 0.4f, 1.5f, 3f, 12f };
        foreach (var (op, f) in new (Func<Tensor, Tensor>, Func<double, double>)[] { (Ops.Sin, Math.Sin), (Ops.Cos, Math.Cos), (Ops.Atan, Math.Atan) })
        {
            var x = Tensor.FromArray((float[])xs.Clone(), xs.Length).RequireGrad();
            Ops.Sum(op(x)).Backward();
            var g = x.Grad!.ToArray();
            for (int i = 0; i < xs.Length; i++)
            {
                double fd = (f(xs[i] + 1e-6) - f(xs[i] - 1e-6)) / 2e-6;
                Assert.True(Math.Abs(g[i] - fd) <= 1e-6, $"d/dx at {xs[i]}: {g[i]} vs finite differences {fd}");
            }
        }
    }
}
