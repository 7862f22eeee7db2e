using Nonlinear.LocalLearning;
using Xunit;

namespace Nonlinear.Tests.LocalLearning;

/// <summary>Spectral radius, ridge read-out, the benchmark series and the ESN's accuracy bar of issue 14.</summary>
public sealed class ReservoirTests
{
    [Theory]
    [InlineData(0.9, 0.5, 0.3)]   // dominant complex pair 0.9·e^{±0.5i}
    [InlineData(0.7, 0.0, -0.95)] // dominant real eigenvalue −0.95
    public void SpectralRadiusOfAMatrixWithKnownEigenvalues(double r, double angle, double real)
    {
        // A = H·D·H with H = I − 2vvᵀ (a reflection: H = H⁻¹) and D block-diagonal: r·rotation(angle), then real, 0.4, −0.2, 0.1.
        int n = 6;
        var d = new double[n, n];
        d[0, 0] = r * Math.Cos(angle); d[0, 1] = -r * Math.Sin(angle); d[1, 0] = r * Math.Sin(angle); d[1, 1] = r * Math.Cos(angle);
        d[2, 2] = real; d[3, 3] = 0.4; d[4, 4] = -0.2; d[5, 5] = 0.1;
        double[] v = [0.3, -0.5, 0.1, 0.6, 0.2, -0.4];
        double norm = Math.Sqrt(v.Sum(x => x * x));
        var h = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i, j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / (norm * norm);
        var a = Mul(Mul(h, d), h);
        double expected = Math.Max(r, Math.Abs(real));
        double got = SpectralRadius.Estimate(n, (x, y) => { for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < n; j++) s += a[i, j] * x[j]; y[i] = s; } });
        Assert.Equal(expected, got, 1e-9);
    }

    [Fact]
    public void ReservoirIsRescaledToTheMeasuredRadius()
    {
        var esn = new EchoStateNetwork(1, new EchoStateOptions { Size = 200, SpectralRadius = 1.1, Sparsity = 0.95, Seed = 4 });
        Assert.Equal(1.1, esn.SpectralRadius, 1e-3);
        Assert.NotEqual(1.1, esn.RawSpectralRadius, 1e-1); // a drawn matrix is not at the target by luck
        Assert.InRange(esn.Connections, 200 * 200 * 0.05 * 0.9, 200 * 200 * 0.05 * 1.1);
    }

    [Fact]
    public void RidgeSolvesTheNormalEquations()
    {
        // y = 2 − 3·x₁ + 0.5·x₂ exactly: λ = 0 recovers the weights; λ > 0 shrinks them as (XᵀX + λI)⁻¹XᵀY says.
        double[,] x = { { 1, 0, 1 }, { 1, 1, 0 }, { 1, 2, 1 }, { 1, -1, 3 }, { 1, 0.5, -2 } };
        var y = new double[5, 1];
        for (int i = 0; i < 5; i++) y[i, 0] = 2 - 3 * x[i, 1] + 0.5 * x[i, 2];
        var w = Ridge.Solve(x, y, 0);
        Assert.Equal([2, -3, 0.5], w, new Tol(1e-12));
        // One feature, λ = 1: w = Σxy / (Σx² + 1) = (1·2 + 2·4) / (1 + 4 + 1) = 10/6.
        Assert.Equal(10.0 / 6, Ridge.Solve(new double[,] { { 1 }, { 2 } }, new double[,] { { 2 }, { 4 } }, 1)[0], 14);
    }

    [Fact]
    public void MackeyGlassConvergesWithTheStepAndStaysInItsRange()
    {
        // Chaotic, so integrations with different steps separate after long enough; over the first 300 units they
        // converge, at second order (the delayed term at half steps is a linear interpolation): the gap shrinks 16× per 4× step.
        var coarse = TimeSeriesTasks.MackeyGlass(300, substeps: 10, transient: 0);
        var fine = TimeSeriesTasks.MackeyGlass(300, substeps: 40, transient: 0);
        var finer = TimeSeriesTasks.MackeyGlass(300, substeps: 160, transient: 0);
        double gap1 = coarse.Zip(fine).Max(p => Math.Abs(p.First - p.Second)), gap2 = fine.Zip(finer).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(gap1 < 3e-4, $"h = 0.1 vs 0.025: {gap1}");
        Assert.InRange(gap1 / gap2, 12, 20);
        coarse = TimeSeriesTasks.MackeyGlass(1000);
        Assert.InRange(coarse.Min(), 0.2, 0.6);
        Assert.InRange(coarse.Max(), 1.1, 1.4);
    }

    [Fact]
    public void Narma10FollowsItsRecurrence()
    {
        var (u, y) = TimeSeriesTasks.Narma10(40, seed: 3);
        Assert.All(u, v => Assert.InRange(v, 0, 0.5));
        Assert.Equal(0, y[9]);
        Assert.Equal(1.5 * u[0] * u[9] + 0.1, y[10], 15);
        double sum = 0;
        for (int i = 0; i < 10; i++) sum += y[20 - i];
        Assert.Equal(0.3 * y[20] + 0.05 * y[20] * sum + 1.5 * u[11] * u[20] + 0.1, y[21], 15);
    }

    [Fact]
    public void NrmseIsRelativeToTheTargetsVariance()
    {
        Assert.Equal(0, TimeSeriesTasks.Nrmse([1, 2, 3], [1, 2, 3]));
        Assert.Equal(1, TimeSeriesTasks.Nrmse([2, 2, 2], [1, 2, 3]), 15); // the mean predictor
        Assert.Equal(Math.Sqrt(0.25 / 0.25), TimeSeriesTasks.Nrmse([0.5, 0.5], [0, 1]), 15);
    }

    [Fact]
    public void MackeyGlassOneStepMeetsTheIssuesBar()
    {
        // Issue 14: one-step NRMSE ≤ 1e-2. A short series (1000 train, 500 test) and 200 units suffice.
        var r = ReservoirBenchmark.Run(ReservoirTask.MackeyGlass, new EchoStateOptions { Size = 200, Seed = 1 }, train: 1000, test: 500, horizon: 1);
        Assert.True(r.TestNrmse <= 1e-2, $"test NRMSE {r.TestNrmse}");
        Assert.True(r.TrainNrmse <= 1e-2, $"train NRMSE {r.TrainNrmse}");
        Assert.Equal(0.9, r.SpectralRadius, 1e-3);
    }

    [Fact]
    public void BadOptionsAreUserErrors()
    {
        Assert.Throws<InvalidInputException>(() => new EchoStateNetwork(1, new EchoStateOptions { Leak = 0 }));
        Assert.Throws<InvalidInputException>(() => new EchoStateNetwork(1, new EchoStateOptions { Sparsity = 1 }));
        Assert.Throws<InvalidInputException>(() => ReservoirBenchmark.Run(ReservoirTask.Narma10, new EchoStateOptions(), 500, 100, horizon: 1));
        Assert.Throws<InvalidInputException>(() => ReservoirBenchmark.Run(ReservoirTask.MackeyGlass, new EchoStateOptions(), 50, 100));
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) c[i, j] += a[i, k] * b[k, j];
        return c;
    }

    private sealed class Tol(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(double v) => 0;
    }
}
