using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>
/// The hand-written backward passes of LayerNorm and BatchNorm1d against central finite differences of a
/// double-precision reference written here (not our float code). Loss L = Σ gout·y. Step h = 1e-5 gives truncation
/// error O(h²·f‴) ≈ 1e-10 and cancellation ≈ 1e-16/h ≈ 1e-11 in double, so the comparison measures our float
/// backward, whose error is a few float ulps of O(1) values: bound 2e-5·(1 + |g|).
/// </summary>
public class NormGradientTests
{
    private const double H = 1e-5, Tol = 2e-5;

    private static double[] RefLayerNorm(double[] x, double[] w, double[] b, int n, double eps)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / n; r++)
        {
            double mu = 0, var = 0;
            for (int i = 0; i < n; i++) mu += x[r * n + i] / n;
            for (int i = 0; i < n; i++) var += (x[r * n + i] - mu) * (x[r * n + i] - mu) / n;
            for (int i = 0; i < n; i++) y[r * n + i] = (x[r * n + i] - mu) / Math.Sqrt(var + eps) * w[i] + b[i];
        }
        return y;
    }

    private static double[] RefBatchNorm(double[] x, double[] w, double[] b, int batch, int c, int len, double eps)
    {
        var y = new double[x.Length];
        int m = batch * len;
        for (int ch = 0; ch < c; ch++)
        {
            double mu = 0, var = 0;
            for (int bi = 0; bi < batch; bi++) for (int l = 0; l < len; l++) mu += x[(bi * c + ch) * len + l] / m;
            for (int bi = 0; bi < batch; bi++) for (int l = 0; l < len; l++) { double d = x[(bi * c + ch) * len + l] - mu; var += d * d / m; }
            for (int bi = 0; bi < batch; bi++) for (int l = 0; l < len; l++)
            {
                int k = (bi * c + ch) * len + l;
                y[k] = (x[k] - mu) / Math.Sqrt(var + eps) * w[ch] + b[ch];
            }
        }
        return y;
    }

    // dL/dv[i] by central differences of loss(v) = Σ gout·f(v).
    private static double[] FiniteDiff(double[] v, Func<double[], double[]> f, double[] gout)
    {
        var grad = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double keep = v[i];
            v[i] = keep + H; double up = Dot(f(v), gout);
            v[i] = keep - H; double down = Dot(f(v), gout);
            v[i] = keep;
            grad[i] = (up - down) / (2 * H);
        }
        return grad;
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    private static void AssertGrad(double[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tol * (1 + Math.Abs(expected[i])), $"{what}[{i}]: finite difference {expected[i]:G9}, backward {actual[i]:G9}");
    }

    private static double[] D(float[] a) => a.Select(v => (double)v).ToArray();

    [Fact]
    public void LayerNormBackwardMatchesFiniteDifferences()
    {
        var rng = new Rng(11);
        int rows = 3, n = 7;
        var ln = new LayerNorm(n);
        Init.Normal(ln.Weight!, rng, 1, 0.5);
        Init.Normal(ln.Bias!, rng, 0, 0.5);
        var x = Tensor.Randn(rng, [rows, n], 0.5f, 2f).RequireGrad();
        var gout = Tensor.Randn(rng, [rows, n]);
        var y = ln.Forward(x);
        y.Backward(gout);
        double[] xd = D(x.ToArray()), wd = D(ln.Weight!.ToArray()), bd = D(ln.Bias!.ToArray()), gd = D(gout.ToArray());
        var yRef = RefLayerNorm(xd, wd, bd, n, 1e-5);
        AssertGrad(yRef, y.ToArray(), "y");
        AssertGrad(FiniteDiff(xd, v => RefLayerNorm(v, wd, bd, n, 1e-5), gd), x.Grad!.ToArray(), "dx");
        AssertGrad(FiniteDiff(wd, v => RefLayerNorm(xd, v, bd, n, 1e-5), gd), ln.Weight.Grad!.ToArray(), "dw");
        AssertGrad(FiniteDiff(bd, v => RefLayerNorm(xd, wd, v, n, 1e-5), gd), ln.Bias.Grad!.ToArray(), "db");
    }

    // Large enough (rows·n ≥ 2^15) that rows, then columns, are split across threads: the result must not depend on the
    // thread count, bit for bit, and must match the closed-form gradient in double (n odd: the SIMD tail runs too).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LargeLayerNormMatchesTheDoubleFormulaAtEveryThreadCount(bool affine)
    {
        const int rows = 80, n = 515;
        int saved = Nonlinear.Kernels.Parallelism.MaxThreads;
        var rng = new Rng(5);
        var x = Tensor.Randn(rng, [rows, n], 0.3f, 1.7f);
        var gout = Tensor.Randn(rng, [rows, n]);
        var wInit = Tensor.Randn(rng, [n], 1f, 0.5f);
        var bInit = Tensor.Randn(rng, [n], 0f, 0.5f);
        (float[] Y, float[] Dx, float[]? Dw, float[]? Db) Run(int threads)
        {
            Nonlinear.Kernels.Parallelism.MaxThreads = threads;
            var ln = new LayerNorm(n, elementwiseAffine: affine);
            if (affine) { wInit.AsSpan().CopyTo(ln.Weight!.AsSpan()); bInit.AsSpan().CopyTo(ln.Bias!.AsSpan()); }
            var xr = x.Detach().RequireGrad();
            var y = ln.Forward(xr);
            y.Backward(gout);
            return (y.ToArray(), xr.Grad!.ToArray(), ln.Weight?.Grad!.ToArray(), ln.Bias?.Grad!.ToArray());
        }
        try
        {
            var one = Run(1);
            var three = Run(3);
            Assert.Equal(one.Y, three.Y);
            Assert.Equal(one.Dx, three.Dx);
            Assert.Equal(one.Dw, three.Dw);
            Assert.Equal(one.Db, three.Db);
            double[] xd = D(x.ToArray()), gd = D(gout.ToArray());
            double[] wd = affine ? D(wInit.ToArray()) : Enumerable.Repeat(1.0, n).ToArray(), bd = affine ? D(bInit.ToArray()) : new double[n];
            AssertGrad(RefLayerNorm(xd, wd, bd, n, 1e-5), one.Y, "y");
            var (dx, dw, db) = RefLayerNormGrad(xd, wd, gd, n, 1e-5);
            AssertGrad(dx, one.Dx, "dx");
            if (!affine) return;
            AssertGrad(dw, one.Dw!, "dw");
            AssertGrad(db, one.Db!, "db");
        }
        finally { Nonlinear.Kernels.Parallelism.MaxThreads = saved; }
    }

    // The closed form in double: x̂ = (x − μ)/√(σ² + ε), h = g·w, dx = (h − mean h − x̂·mean(h·x̂))/√(σ² + ε), dw = Σ g·x̂, db = Σ g.
    private static (double[] Dx, double[] Dw, double[] Db) RefLayerNormGrad(double[] x, double[] w, double[] g, int n, double eps)
    {
        var dx = new double[x.Length];
        double[] dw = new double[n], db = new double[n];
        for (int r = 0; r < x.Length / n; r++)
        {
            double mu = 0, var = 0, mh = 0, mhx = 0;
            for (int i = 0; i < n; i++) mu += x[r * n + i] / n;
            for (int i = 0; i < n; i++) var += (x[r * n + i] - mu) * (x[r * n + i] - mu) / n;
            double rs = 1 / Math.Sqrt(var + eps);
            for (int i = 0; i < n; i++)
            {
                double xh = (x[r * n + i] - mu) * rs, h = g[r * n + i] * w[i];
                mh += h / n;
                mhx += h * xh / n;
                dw[i] += g[r * n + i] * xh;
                db[i] += g[r * n + i];
            }
            for (int i = 0; i < n; i++) dx[r * n + i] = rs * (g[r * n + i] * w[i] - mh - (x[r * n + i] - mu) * rs * mhx);
        }
        return (dx, dw, db);
    }

    [Theory]
    [InlineData(5, 3, 1)]
    [InlineData(2, 3, 4)]
    public void BatchNormTrainingBackwardMatchesFiniteDifferences(int batch, int c, int len)
    {
        var rng = new Rng(12);
        var bn = new BatchNorm1d(c);
        Init.Normal(bn.Weight, rng, 1, 0.5);
        Init.Normal(bn.Bias, rng, 0, 0.5);
        int[] shape = len == 1 ? [batch, c] : [batch, c, len];
        var x = Tensor.Randn(rng, shape, -0.5f, 1.5f).RequireGrad();
        var gout = Tensor.Randn(rng, shape);
        var y = bn.Forward(x);
        y.Backward(gout);
        double[] xd = D(x.ToArray()), wd = D(bn.Weight.ToArray()), bd = D(bn.Bias.ToArray()), gd = D(gout.ToArray());
        AssertGrad(RefBatchNorm(xd, wd, bd, batch, c, len, 1e-5), y.ToArray(), "y");
        AssertGrad(FiniteDiff(xd, v => RefBatchNorm(v, wd, bd, batch, c, len, 1e-5), gd), x.Grad!.ToArray(), "dx");
        AssertGrad(FiniteDiff(wd, v => RefBatchNorm(xd, v, bd, batch, c, len, 1e-5), gd), bn.Weight.Grad!.ToArray(), "dw");
        AssertGrad(FiniteDiff(bd, v => RefBatchNorm(xd, wd, v, batch, c, len, 1e-5), gd), bn.Bias.Grad!.ToArray(), "db");
    }

    [Fact]
    public void BatchNormEvalBackwardIsScaleByRunningStatistics()
    {
        var bn = new BatchNorm1d(2);
        Tensor.FromArray([0.5f, -1f], 2).AsSpan().CopyTo(bn.RunningMean.AsSpan());
        Tensor.FromArray([4f, 0.25f], 2).AsSpan().CopyTo(bn.RunningVar.AsSpan());
        Tensor.FromArray([2f, 3f], 2).AsSpan().CopyTo(bn.Weight.AsSpan());
        bn.Eval();
        var x = Tensor.FromArray([1.5f, 0f, -0.5f, -1f], 2, 2).RequireGrad();
        var y = bn.Forward(x);
        y.Backward(Tensor.Ones(2, 2));
        double r0 = 2 / Math.Sqrt(4 + 1e-5), r1 = 3 / Math.Sqrt(0.25 + 1e-5);
        // y = (x − running_mean)·γ/√(running_var + ε): exact up to float rounding of γ·r (≤ 1 ulp ≈ 5e-7 here).
        double[] yExpected = [1 * r0, 1 * r1, -1 * r0, 0], gExpected = [r0, r1, r0, r1];
        var ys = y.ToArray();
        var gs = x.Grad!.ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(yExpected[i], ys[i], 1e-6);
            Assert.Equal(gExpected[i], gs[i], 1e-6);
        }
    }
}
