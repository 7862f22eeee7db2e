using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>
/// Every learnable kernel (<see cref="LearnableCases"/>): the double reference's gradients against central finite
/// differences in double, the float kernels against the double reference in all three driver layouts, and identical
/// bits on every SIMD tier (forward, dx and the parameter-gradient reductions).
/// </summary>
public class LearnableKernelTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    /// <summary>The three layouts: one parameter set; channels last [rows, C]; runs [outer, C, inner].</summary>
    public static readonly (int Outer, int Channels, int Inner)[] Layouts = [(2053, 1, 1), (61, 7, 1), (3, 5, 37)];

    /// <summary>
    /// ∂f/∂x and every ∂f/∂θ_k of the double reference against central differences (h = 1e-6·max(1, |v|)) at 41
    /// points, away from kinks. Bound 1e-6·(1 + |g|): truncation h²f‴/6 ≈ 1e-12, round-off 2⁻⁵³|f|/h ≈ 1e-10.
    /// A wrong factor or missing term is off by O(|g|).
    /// </summary>
    [Theory, MemberData(nameof(LearnableCases.Names), MemberType = typeof(LearnableCases))]
    public void ReferenceGradientsMatchFiniteDifferences(string name)
    {
        var c = LearnableCases.Get(name);
        var theta = c.Theta.ToArray();
        var d = new double[c.P];
        for (int i = 0; i < 41; i++)
        {
            double x = c.Lo + (c.Hi - c.Lo) * (i + 0.37) / 41;
            if (c.Kinks.Any(k => Math.Abs(x - k) < 1e-3)) continue;
            double g = c.ReferenceGradient(x, theta, d);
            double hx = 1e-6 * Math.Max(1, Math.Abs(x));
            double fd = (c.Reference(x + hx, theta) - c.Reference(x - hx, theta)) / (2 * hx);
            Assert.True(Math.Abs(g - fd) <= 1e-6 * (1 + Math.Abs(fd)), $"{name} ∂f/∂x at x={x}: {g} vs finite difference {fd}");
            for (int k = 0; k < c.P; k++)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(theta[k])), keep = theta[k];
                theta[k] = keep + h; double fp = c.Reference(x, theta);
                theta[k] = keep - h; double fm = c.Reference(x, theta);
                theta[k] = keep;
                double fdk = (fp - fm) / (2 * h);
                Assert.True(Math.Abs(d[k] - fdk) <= 1e-6 * (1 + Math.Abs(fdk)), $"{name} ∂f/∂θ{k} at x={x}: {d[k]} vs finite difference {fdk}");
            }
        }
    }

    /// <summary>Inputs, upstream gradient and per-channel θ (θ scaled by 1 + 0.05c per channel) for a layout.</summary>
    private static (float[] X, float[] Dy, float[] Theta) Data(LearnableCase c, (int Outer, int Channels, int Inner) l, ulong seed)
    {
        var rng = new Rng(seed);
        int n = l.Outer * l.Channels * l.Inner;
        var x = new float[n];
        var dy = new float[n];
        double span = c.Hi - c.Lo;
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(c.Lo - 0.1 * span + 1.2 * span * rng.NextDouble());
            dy[i] = (float)(2 * rng.NextDouble() - 1);
        }
        var theta = new float[c.P * l.Channels];
        for (int k = 0; k < c.P; k++)
            for (int ch = 0; ch < l.Channels; ch++) theta[k * l.Channels + ch] = (float)(c.Theta[k] * (1 + 0.05 * ch));
        return (x, dy, theta);
    }

    private static int ChannelOf(int i, (int Outer, int Channels, int Inner) l) => i / l.Inner % l.Channels;

    /// <summary>
    /// Float kernels against the double reference evaluated at the same float inputs and parameters.
    /// y: |y − r| ≤ 2e-5·(1 + |r|) (a few dozen float operations, ≤ ~20 ulp with the cancellation of sign-mixed
    /// coefficients). dx: ≤ 1e-4·(1 + |r′|)·|dy|. dθ: ≤ 1e-4·Σ|dy·∂f/∂θ| + 1e-6 (float partial sums of ≤ 2053 terms:
    /// ≲ 130 terms per partial, 130·2⁻²⁴ ≈ 8e-6 relative, plus per-term error). A wrong term is off by O(1).
    /// </summary>
    [Theory, MemberData(nameof(LearnableCases.Names), MemberType = typeof(LearnableCases))]
    public void FloatKernelsMatchDoubleReference(string name)
    {
        var c = LearnableCases.Get(name);
        foreach (var l in Layouts)
        {
            var (x, dy, theta) = Data(c, l, 7);
            int n = x.Length;
            var y = new float[n];
            var dx = new float[n];
            var dTheta = new float[theta.Length];
            c.Forward(x, y, theta, l.Channels, l.Inner, SimdTier.Auto);
            c.Backward(x, dy, dx, theta, l.Channels, l.Inner, dTheta, SimdTier.Auto);
            var exp = new double[theta.Length];
            var mag = new double[theta.Length];
            var th = new double[c.P];
            var d = new double[c.P];
            for (int i = 0; i < n; i++)
            {
                int ch = ChannelOf(i, l);
                for (int k = 0; k < c.P; k++) th[k] = theta[k * l.Channels + ch];
                double r = c.Reference(x[i], th), g = c.ReferenceGradient(x[i], th, d);
                Assert.True(Math.Abs(y[i] - r) <= 2e-5 * (1 + Math.Abs(r)), $"{name} {l}: y({x[i]}) = {y[i]}, reference {r}");
                Assert.True(Math.Abs(dx[i] - dy[i] * g) <= 1e-4 * (1 + Math.Abs(g)) * Math.Abs(dy[i]), $"{name} {l}: dx at x={x[i]}: {dx[i]}, reference {dy[i] * g}");
                for (int k = 0; k < c.P; k++) { exp[k * l.Channels + ch] += dy[i] * d[k]; mag[k * l.Channels + ch] += Math.Abs(dy[i] * d[k]); }
            }
            for (int j = 0; j < theta.Length; j++)
                Assert.True(Math.Abs(dTheta[j] - exp[j]) <= 1e-4 * mag[j] + 1e-6, $"{name} {l}: dθ[{j}] = {dTheta[j]}, reference {exp[j]} (Σ|terms| {mag[j]})");
        }
    }

    /// <summary>Forward, dx and dθ have identical bits on every tier, in every layout, with tails of every length mod 16.</summary>
    [Theory, MemberData(nameof(LearnableCases.Names), MemberType = typeof(LearnableCases))]
    public void AllTiersGiveIdenticalBits(string name)
    {
        var c = LearnableCases.Get(name);
        foreach (var l in Layouts.Append((Outer: 1, Channels: 1, Inner: 16 * 5 + 11)).Append((Outer: 9, Channels: 3, Inner: 1)))
        {
            var (x, dy, theta) = Data(c, l, 11);
            float[]? y0 = null, dx0 = null, dt0 = null;
            foreach (var tier in Tiers)
            {
                var y = new float[x.Length];
                var dx = new float[x.Length];
                var dt = new float[theta.Length];
                c.Forward(x, y, theta, l.Channels, l.Inner, tier);
                c.Backward(x, dy, dx, theta, l.Channels, l.Inner, dt, tier);
                if (y0 is null) { (y0, dx0, dt0) = (y, dx, dt); continue; }
                Assert.Equal(Bits(y0), Bits(y));
                Assert.Equal(Bits(dx0!), Bits(dx));
                Assert.Equal(Bits(dt0!), Bits(dt));
            }
        }
    }

    /// <summary>Results do not depend on how a single-set input is chunked for threads: a long input equals the concatenation rule.</summary>
    [Theory, MemberData(nameof(LearnableCases.Names), MemberType = typeof(LearnableCases))]
    public void ManyChunksMatchReference(string name)
    {
        var c = LearnableCases.Get(name);
        var l = (Outer: 3 * Nonlinear.Kernels.Learnable.LearnableDriver.ChunkElements + 5, Channels: 1, Inner: 1);
        var (x, dy, theta) = Data(c, l, 5);
        var dx = new float[x.Length];
        var dt = new float[theta.Length];
        c.Backward(x, dy, dx, theta, 1, 1, dt, SimdTier.Auto);
        var th = c.Theta.ToArray();
        for (int k = 0; k < c.P; k++) th[k] = theta[k];
        var d = new double[c.P];
        var exp = new double[c.P];
        var mag = new double[c.P];
        for (int i = 0; i < x.Length; i++)
        {
            c.ReferenceGradient(x[i], th, d);
            for (int k = 0; k < c.P; k++) { exp[k] += dy[i] * d[k]; mag[k] += Math.Abs(dy[i] * d[k]); }
        }
        for (int k = 0; k < c.P; k++)
            Assert.True(Math.Abs(dt[k] - exp[k]) <= 1e-4 * mag[k] + 1e-6, $"{name}: dθ[{k}] = {dt[k]}, reference {exp[k]}");
    }

    private static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();
}
