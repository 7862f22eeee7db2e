using Nonlinear.Activations;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// Max ulp error of every VMath function against a double reference, on a dense grid plus random bit patterns, for every
/// register width (Vec512/Vec256/Vec128 run in software where the hardware lacks them). The bound asserted is the one the
/// XML doc states.
/// </summary>
public class VMathAccuracyTests(ITestOutputHelper output)
{
    internal interface IFn { V Apply<V>(V x) where V : struct, ISimdVec<V>; }
    internal struct ExpFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(x); }
    internal struct LogFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Log(x); }
    internal struct Expm1Fn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Expm1(x); }
    internal struct Log1pFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Log1p(x); }
    internal struct TanhFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Tanh(x); }
    internal struct SigmoidFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Sigmoid(x); }
    internal struct SoftplusFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Softplus(x); }
    internal struct ErfFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Erf(x); }
    internal struct ErfcFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.Erfc(x); }
    internal struct NormalCdfFn : IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.NormalCdf(x); }

    internal static float[] Run<F, V>(float[] x) where F : struct, IFn where V : struct, ISimdVec<V>
    {
        int w = V.Count, n = (x.Length + w - 1) / w * w;
        var xs = new float[n];
        var ys = new float[n];
        x.CopyTo(xs, 0);
        for (int i = 0; i < n; i += w) V.Store(default(F).Apply(V.Load(ref xs[i])), ref ys[i]);
        return ys[..x.Length];
    }

    internal static float[] Run<F>(SimdTier tier, float[] x) where F : struct, IFn => tier switch
    {
        SimdTier.Vec512 => Run<F, Vec512>(x),
        SimdTier.Vec256 => Run<F, Vec256>(x),
        SimdTier.Vec128 => Run<F, Vec128>(x),
        _ => Run<F, Scalar>(x),
    };

    public static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    /// <summary>A uniform grid over [lo, hi] plus random floats of every magnitude in the range (random exponent and mantissa).</summary>
    public static float[] Grid(float lo, float hi, int n = 200_000)
    {
        var rng = new Rng(12345);
        var xs = new float[2 * n];
        for (int i = 0; i < n; i++) xs[i] = lo + (hi - lo) * i / (n - 1);
        for (int i = n; i < 2 * n; i++)
        {
            float v;
            do v = BitConverter.Int32BitsToSingle(rng.NextInt(int.MaxValue) | (rng.NextInt(2) << 31));
            while (!(v >= lo && v <= hi));
            xs[i] = v;
        }
        return xs;
    }

    private double MaxUlp<F>(Func<double, double> reference, float lo, float hi) where F : struct, IFn
    {
        var x = Grid(lo, hi);
        double worst = 0;
        float at = float.NaN;
        float[]? first = null;
        foreach (var tier in Tiers)
        {
            var y = Run<F>(tier, x);
            first ??= y;
            Assert.Equal(first, y); // every width gives the same bits
            for (int i = 0; i < x.Length; i++)
            {
                double e = Ulp.Error(y[i], reference(x[i]));
                if (e > worst) (worst, at) = (e, x[i]);
            }
        }
        output.WriteLine($"{typeof(F).Name} on [{lo}, {hi}]: max {worst:F3} ulp at x = {at:R}");
        return worst;
    }

    [Theory]
    [InlineData(-104f, 89f)]
    [InlineData(-1f, 1f)]
    public void ExpWithin1Ulp(float lo, float hi) => Assert.InRange(MaxUlp<ExpFn>(Math.Exp, lo, hi), 0, 1.0);

    [Theory]
    [InlineData(0f, 3.4e38f)]
    [InlineData(0.5f, 2f)]
    public void LogWithin1Ulp(float lo, float hi) => Assert.InRange(MaxUlp<LogFn>(Math.Log, lo, hi), 0, 1.0);

    [Theory]
    [InlineData(-20f, 89f)]
    [InlineData(-1f, 1f)]
    public void Expm1Within2Ulp(float lo, float hi) => Assert.InRange(MaxUlp<Expm1Fn>(DoubleMath.Expm1, lo, hi), 0, 2.0);

    [Theory]
    [InlineData(-1f, 3.4e38f)]
    [InlineData(-0.5f, 1f)]
    public void Log1pWithin2Ulp(float lo, float hi) => Assert.InRange(MaxUlp<Log1pFn>(DoubleMath.Log1p, lo, hi), 0, 2.0);

    [Theory]
    [InlineData(-20f, 20f)]
    [InlineData(-1f, 1f)]
    public void TanhWithin2Ulp(float lo, float hi) => Assert.InRange(MaxUlp<TanhFn>(Math.Tanh, lo, hi), 0, 2.0);

    [Theory]
    [InlineData(-110f, 110f)]
    [InlineData(-1f, 1f)]
    public void SigmoidWithin2point5Ulp(float lo, float hi) => Assert.InRange(MaxUlp<SigmoidFn>(DoubleMath.Sigmoid, lo, hi), 0, 2.5);

    [Theory]
    [InlineData(-104f, 1e6f)]
    [InlineData(-2f, 2f)]
    public void SoftplusWithin2Ulp(float lo, float hi) => Assert.InRange(MaxUlp<SoftplusFn>(DoubleMath.Softplus, lo, hi), 0, 2.0);

    [Theory]
    [InlineData(-5f, 5f)]
    [InlineData(-1f, 1f)]
    public void ErfWithin2Ulp(float lo, float hi) => Assert.InRange(MaxUlp<ErfFn>(DoubleMath.Erf, lo, hi), 0, 2.0);

    [Theory]
    [InlineData(-5f, 11f)]
    [InlineData(0.5f, 9.2f)]
    public void ErfcWithin6Ulp(float lo, float hi) => Assert.InRange(MaxUlp<ErfcFn>(DoubleMath.Erfc, lo, hi), 0, 6.0);

    [Theory]
    [InlineData(-14f, 8f)]
    public void NormalCdfWithin6Ulp(float lo, float hi) => Assert.InRange(MaxUlp<NormalCdfFn>(DoubleMath.NormalCdf, lo, hi), 0, 6.0);
}
