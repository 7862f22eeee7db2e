using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The one Cholesky solver behind the SAE error analysis, the ridge read-out and KAN curve fits: exact on a system
/// with an integer factor, and each pivot rule does what its caller relies on for a singular system.
/// </summary>
public class CholeskyTests
{
    // A = L·Lᵀ with L = [[2,0,0],[1,3,0],[−1,2,1]] and X chosen, so B = A·X is exact in double and so is the solve.
    private static readonly double[] L = { 2, 0, 0, 1, 3, 0, -1, 2, 1 };

    private static double[] Times(double[] a, double[] b, int n, int cols, bool transposeA = false)
    {
        var c = new double[n * cols];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < cols; j++)
                for (int k = 0; k < n; k++) c[i * cols + j] += (transposeA ? a[k * n + i] : a[i * n + k]) * b[k * cols + j];
        return c;
    }

    [Fact]
    public void FactorRecoversTheLowerTriangleAndSolveTheRightHandSides()
    {
        var lt = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) lt[i * 3 + j] = L[j * 3 + i];
        var a = Times(L, lt, 3, 3);
        var x = new double[] { 1, -2, 0.5, 3, -4, 0.25 };   // [3, 2]
        var b = Times(a, x, 3, 2);
        var f = (double[])a.Clone();
        Assert.Equal(-1, Cholesky.Factor(f, 3, CholeskyPivot.Refuse));
        for (int i = 0; i < 3; i++) for (int j = 0; j <= i; j++) Assert.Equal(L[i * 3 + j], f[i * 3 + j], 14);
        Cholesky.Solve(f, 3, b, 2);
        for (int i = 0; i < 6; i++) Assert.Equal(x[i], b[i], 12);
    }

    [Fact]
    public void RefuseNamesTheFirstColumnWithoutAPositivePivot()
    {
        // Rows 1 and 2 equal: the second pivot of column 2 is 0.
        var a = new double[] { 4, 2, 2, 2, 5, 5, 2, 5, 5 };
        Assert.Equal(2, Cholesky.Factor(a, 3, CholeskyPivot.Refuse));
    }

    [Fact]
    public void JitterAndAbsentKeepASingularSystemFinite()
    {
        // x₁ = x₂ as columns of the normal equations: the solution is finite under both rules, and "absent" puts ≈ 0
        // weight on the duplicated direction while reproducing b.
        var a = new double[] { 4, 2, 2, 2, 5, 5, 2, 5, 5 };
        var b = new double[] { 2, 5, 5 };
        foreach (var rule in new[] { CholeskyPivot.Jitter, CholeskyPivot.Absent })
        {
            var f = (double[])a.Clone();
            var x = (double[])b.Clone();
            Assert.Equal(-1, Cholesky.Factor(f, 3, rule));
            Cholesky.Solve(f, 3, x, 1);
            Assert.All(x, v => Assert.True(double.IsFinite(v), $"{rule}: {v}"));
            if (rule == CholeskyPivot.Absent)
            {
                Assert.Equal(0, x[2], 12);
                Assert.Equal(0, x[0], 12);
                Assert.Equal(1, x[1], 12);
            }
        }
    }
}
