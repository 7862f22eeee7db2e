using Nonlinear.LocalLearning;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.LocalLearning;

/// <summary>
/// Sanger's rule finds the top principal components and Oja's rule their subspace, checked against a Jacobi
/// eigendecomposition of the sample covariance (written here, independently of the library).
/// </summary>
public sealed class HebbianPcaTests
{
    private const int D = 6, Samples = 20_000;

    private static double[][] Data(ulong seed)
    {
        // x = M·z with a fixed mixing M: covariance M·Mᵀ, eigenvalues well separated (checked below).
        var rng = new Rng(seed);
        var m = new double[D, D];
        double[] scale = [3, 2, 1.4, 0.8, 0.4, 0.2];
        for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) m[i, j] = scale[j] * (0.3 * rng.NextGaussian() + (i == j ? 1 : 0));
        return Enumerable.Range(0, Samples).Select(_ =>
        {
            var z = Enumerable.Range(0, D).Select(_ => rng.NextGaussian()).ToArray();
            return Enumerable.Range(0, D).Select(i => Enumerable.Range(0, D).Sum(j => m[i, j] * z[j])).ToArray();
        }).ToArray();
    }

    [Fact]
    public void SangerConvergesToTheTopPrincipalComponents()
    {
        var data = Data(5);
        var (values, vectors) = Jacobi(Covariance(data));
        Assert.True(values[0] / values[1] > 1.3 && values[1] / values[2] > 1.3 && values[2] / values[3] > 1.3, $"eigenvalues not separated: {string.Join(", ", values)}");
        var gha = new GeneralizedHebbian(D, 3, HebbianRule.Sanger, new Rng(1));
        Train(gha, data, epochs: 6);
        var w = gha.Weights;
        for (int i = 0; i < 3; i++)
        {
            var row = w.AsSpan(i * D, D).ToArray();
            double cos = Math.Abs(Dot(row, vectors[i])) / Math.Sqrt(Dot(row, row));
            Assert.True(cos > 0.999, $"component {i}: |cos| with eigenvector {i} is {cos}");
            Assert.Equal(1, Math.Sqrt(Dot(row, row)), 1e-2);
        }
    }

    [Fact]
    public void OjaFindsTheTopSubspaceButNotTheComponents()
    {
        var data = Data(6);
        var (_, vectors) = Jacobi(Covariance(data));
        var oja = new GeneralizedHebbian(D, 2, HebbianRule.Oja, new Rng(2));
        Train(oja, data, epochs: 6);
        var w = oja.Weights;
        for (int i = 0; i < 2; i++)
        {
            var row = w.AsSpan(i * D, D).ToArray();
            // The projection of each row on span(v₀, v₁) keeps its whole length.
            double inSpan = Math.Sqrt(Math.Pow(Dot(row, vectors[0]), 2) + Math.Pow(Dot(row, vectors[1]), 2)) / Math.Sqrt(Dot(row, row));
            Assert.True(inSpan > 0.999, $"row {i}: fraction in the top-2 subspace {inSpan}");
        }
        double r01 = Dot(w.AsSpan(0, D).ToArray(), w.AsSpan(D, D).ToArray());
        Assert.True(Math.Abs(r01) < 2e-2, $"rows not orthogonal: {r01}");
    }

    private static void Train(GeneralizedHebbian g, double[][] data, int epochs)
    {
        var mean = Enumerable.Range(0, D).Select(j => data.Average(x => x[j])).ToArray();
        var centred = new double[D];
        int step = 0;
        for (int e = 0; e < epochs; e++)
            foreach (var x in data)
            {
                for (int j = 0; j < D; j++) centred[j] = x[j] - mean[j];
                // η decays as 1/t (Robbins–Monro), which the convergence proofs of both rules assume.
                g.Step(centred, 0.002 / (1 + step++ / 5000.0));
            }
    }

    private static double[,] Covariance(double[][] data)
    {
        var mean = Enumerable.Range(0, D).Select(j => data.Average(x => x[j])).ToArray();
        var c = new double[D, D];
        foreach (var x in data) for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) c[i, j] += (x[i] - mean[i]) * (x[j] - mean[j]) / data.Length;
        return c;
    }

    // Cyclic Jacobi rotations: eigenvalues descending, eigenvectors as rows.
    private static (double[] Values, double[][] Vectors) Jacobi(double[,] a0)
    {
        int n = a0.GetLength(0);
        var a = (double[,])a0.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-15) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq; a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk; a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq; v[k, q] = s * vkp + c * vkq;
                    }
                }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        return (order.Select(i => a[i, i]).ToArray(), order.Select(i => Enumerable.Range(0, n).Select(k => v[k, i]).ToArray()).ToArray());
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b).Sum(p => p.First * p.Second);
}
