using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Similarity;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret;

/// <summary>
/// CKA against the definitions written with n × n Gram matrices (Kornblith 2019 eq. 3 with HSIC = tr(KHLH)/(n−1)²;
/// Song et al. 2012's unbiased HSIC), unit matching against brute force.
/// </summary>
public sealed class SimilarityTests
{
    private static ActivationMatrix Random(string name, int n, int p, ulong seed, Func<int, int, double, double>? f = null)
    {
        var rng = new Rng(seed);
        var v = new float[n * p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) v[i * p + j] = (float)(f?.Invoke(i, j, rng.NextGaussian()) ?? rng.NextGaussian());
        return new ActivationMatrix(name, v, n, p);
    }

    private static double[,] Gram(ActivationMatrix m)
    {
        var k = new double[m.Rows, m.Rows];
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Rows; j++)
            {
                double s = 0;
                for (int u = 0; u < m.Units; u++) s += (double)m.Values[i * m.Units + u] * m.Values[j * m.Units + u];
                k[i, j] = s;
            }
        return k;
    }

    private static double HsicBiased(double[,] k, double[,] l)
    {
        int n = k.GetLength(0);
        // H K H with H = I − 11ᵀ/n, then tr(KcLc).
        double[,] Center(double[,] a)
        {
            var row = new double[n]; var col = new double[n]; double all = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { row[i] += a[i, j] / n; col[j] += a[i, j] / n; all += a[i, j] / n / n; }
            var c = new double[n, n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i, j] = a[i, j] - row[i] - col[j] + all;
            return c;
        }
        var kc = Center(k); var lc = Center(l);
        double t = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t += kc[i, j] * lc[j, i];
        return t / ((n - 1.0) * (n - 1.0));
    }

    private static double HsicUnbiased(double[,] k0, double[,] l0)
    {
        int n = k0.GetLength(0);
        var k = (double[,])k0.Clone(); var l = (double[,])l0.Clone();
        for (int i = 0; i < n; i++) { k[i, i] = 0; l[i, i] = 0; }
        double tr = 0, sk = 0, sl = 0, kl1 = 0;
        for (int i = 0; i < n; i++)
        {
            double ki = 0, li = 0;
            for (int j = 0; j < n; j++) { tr += k[i, j] * l[j, i]; ki += k[i, j]; li += l[i, j]; }
            sk += ki; sl += li; kl1 += ki * li;
        }
        return (tr + sk * sl / ((n - 1.0) * (n - 2.0)) - 2 * kl1 / (n - 2.0)) / (n * (n - 3.0));
    }

    [Fact]
    public void LinearAndDebiasedCkaEqualTheGramMatrixDefinitions()
    {
        // Y depends on X (a few shared directions plus noise); means far from 0 test the centring.
        var x = Random("x", 40, 7, 1, (i, j, g) => g + 5);
        var y = Random("y", 40, 5, 2, (i, j, g) => 0.5 * x.Values[i * 7 + j] + g - 3);
        double expected = HsicBiased(Gram(x), Gram(y)) / Math.Sqrt(HsicBiased(Gram(x), Gram(x)) * HsicBiased(Gram(y), Gram(y)));
        Assert.Equal(expected, Cka.Linear(x, y), 12);
        double expectedDebiased = HsicUnbiased(Gram(x), Gram(y)) / Math.Sqrt(HsicUnbiased(Gram(x), Gram(x)) * HsicUnbiased(Gram(y), Gram(y)));
        Assert.Equal(expectedDebiased, Cka.Debiased(x, y), 12);
        Assert.True(Cka.Debiased(x, y) < Cka.Linear(x, y), "debiasing lowers the estimate for partly related representations");
    }

    [Fact]
    public void CkaIsOneForAnIsotropicScalingAndNearZeroDebiasedForIndependentWideRepresentations()
    {
        var x = Random("x", 30, 6, 3);
        var scaled = new ActivationMatrix("s", x.Values.Select(v => -2.5f * v + 1f).ToArray(), 30, 6);
        Assert.Equal(1.0, Cka.Linear(x, scaled), 6);
        Assert.Equal(1.0, Cka.Debiased(x, scaled), 6);
        // Independent representations with more units than inputs: biased linear CKA is far from 0, the debiased one is not.
        var a = Random("a", 50, 400, 4);
        var b = Random("b", 50, 400, 5);
        Assert.True(Cka.Linear(a, b) > 0.5, $"linear CKA of independent wide representations {Cka.Linear(a, b)}");
        Assert.True(Math.Abs(Cka.Debiased(a, b)) < 0.05, $"debiased CKA {Cka.Debiased(a, b)}");
    }

    [Fact]
    public void MatchingRecoversAPermutationAndAgreesWithBruteForce()
    {
        int n = 200, p = 6;
        int[] perm = [3, 0, 5, 1, 4, 2];
        var a = Random("a", n, p, 6);
        var b = Random("b", n, p, 7, (i, j, g) => a.Values[i * p + Array.IndexOf(perm, j)] * 2 + 0.3 * g);
        var m = UnitMatching.Correlate(a, b);
        Assert.Equal(perm, m.OneToOne());
        Assert.Equal(perm, m.Best().Select(t => t.Unit));
        // A random correlation matrix, 5 × 5: the assignment has the largest total of all 120 permutations.
        var c = UnitMatching.Correlate(Random("c", 12, 5, 8), Random("d", 12, 5, 9));
        var got = c.OneToOne();
        double Total(int[] q) => q.Select((j, i) => c.Correlation(i, j)).Sum();
        double best = Permutations([0, 1, 2, 3, 4]).Max(q => Total(q));
        Assert.Equal(best, Total(got), 12);
    }

    [Fact]
    public void RectangularMatchingLeavesTheWeakestUnmatchedAndCorrelationIsPearson()
    {
        var a = Random("a", 100, 4, 10);
        // B has 3 units: copies of A's units 2, 0, 3 (unit 1 of A has no partner).
        var b = new ActivationMatrix("b", Enumerable.Range(0, 100).SelectMany(i => new[] { a.Values[i * 4 + 2], a.Values[i * 4], a.Values[i * 4 + 3] }).ToArray(), 100, 3);
        var m = UnitMatching.Correlate(a, b);
        Assert.Equal([1, -1, 0, 2], m.OneToOne());
        Assert.Equal(1.0, m.Correlation(2, 0), 12);
        var constant = new ActivationMatrix("k", Enumerable.Repeat(1f, 100).ToArray(), 100, 1);
        Assert.True(double.IsNaN(UnitMatching.Correlate(a, constant).Correlation(0, 0)));
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, k) => k != i).ToArray()))
                yield return [items[i], .. rest];
    }
}
