using System.Text.Json;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// The basis kernels against independent double references (values and x-derivatives), against exact golden
/// B-spline values, bit-identical on every SIMD tier, and the B-spline partition of unity.
/// </summary>
public sealed class KanBasisTests
{
    private const int Inputs = 37;   // two 16-lane vectors and a 5-lane tail

    public static TheoryData<string> Bases => ["bspline", "bspline-nonuniform", "bspline-k1", "rbf", "chebyshev", "fourier"];

    internal static KanBasis Make(string name)
    {
        switch (name)
        {
            case "bspline": return new BSplineBasis(Inputs, 5, 3);
            case "bspline-k1": return new BSplineBasis(Inputs, 4, 1, -0.5, 1.5);
            case "bspline-nonuniform":
                var b = new BSplineBasis(Inputs, 6, 3);
                var rng = new Rng(3);
                for (int i = 0; i < Inputs; i++)
                {
                    var pts = new double[7];
                    pts[0] = -1.2 + 0.4 * rng.NextDouble();
                    for (int g = 1; g < 7; g++) pts[g] = pts[g - 1] + 0.05 + 0.5 * rng.NextDouble();
                    b.SetGrid(i, pts);
                }
                return b;
            case "rbf": return new RbfBasis(Inputs, 8, -2, 2);
            case "chebyshev": return new ChebyshevBasis(Inputs, 6);
            case "fourier": return new FourierBasis(Inputs, 7);
            default: throw new ArgumentException(name);
        }
    }

    private static float[] Samples(int rows, ulong seed, float lo = -2.5f, float hi = 2.5f)
    {
        var rng = new Rng(seed);
        var x = new float[rows * Inputs];
        for (int q = 0; q < x.Length; q++) x[q] = lo + (hi - lo) * rng.NextFloat();
        return x;
    }

    // Error bounds against the double reference: B-splines are in [0, 1] and their recursion rounds ~2k times
    // (≤ 1e-6 absolute); RBF = one exp (≤ 3 ulp) of a rounded argument (|Δt²| ≤ 2u·t², ≤ 1e-6 absolute); Chebyshev:
    // tanh to ~2 ulp moves T_n by ≤ n²·2u (≤ 9e-6 at n = 6) plus the recurrence's rounding; Fourier: sin/cos within
    // ~1 ulp and ~2 ulp more per angle-addition step (G = 7: ≤ 16u·|x|-independent ≈ 1e-6, 2e-6 allowed).
    private static double ValueTol(string name) => name switch { "chebyshev" => 1.5e-5, "fourier" => 2e-6, _ => 1e-6 };

    [Theory, MemberData(nameof(Bases))]
    public void ExpandMatchesReference(string name)
    {
        var basis = Make(name);
        int rows = 9, nb = basis.Count, ld = nb * Inputs + 3;
        var x = Samples(rows, 11);
        var f = new float[rows * ld];
        basis.Prepare();
        basis.Expand(x, rows, f, ld, 3);
        double worst = 0;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < Inputs; i++)
                for (int j = 0; j < nb; j++)
                {
                    double want = KanReference.Basis(basis, i, j, x[r * Inputs + i]);
                    worst = Math.Max(worst, Math.Abs(f[r * ld + 3 + j * Inputs + i] - want));
                }
        Assert.True(worst <= ValueTol(name), $"{name}: max |B − reference| = {worst:E3}");
    }

    [Theory, MemberData(nameof(Bases))]
    public void InputGradMatchesFiniteDifferenceOfReference(string name)
    {
        var basis = Make(name);
        int rows = 7, nb = basis.Count, ld = nb * Inputs;
        var x = Samples(rows, 12);
        var rng = new Rng(5);
        var g = new float[rows * ld];
        for (int q = 0; q < g.Length; q++) g[q] = 2 * rng.NextFloat() - 1;
        var dx = new float[x.Length];
        for (int q = 0; q < dx.Length; q++) dx[q] = 0.25f;     // accumulates: the kernel adds to what is there
        basis.Prepare();
        basis.AccumulateInputGrad(x, rows, g, ld, 0, dx);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < Inputs; i++)
            {
                double xv = x[r * Inputs + i], want = 0.25, mag = 0.25;
                for (int j = 0; j < nb; j++)
                {
                    const double h = 1e-6;
                    double d = (KanReference.Basis(basis, i, j, xv + h) - KanReference.Basis(basis, i, j, xv - h)) / (2 * h);
                    want += g[r * ld + j * Inputs + i] * d;
                    mag += Math.Abs(g[r * ld + j * Inputs + i] * d);
                }
                // Float accumulation over nb terms of ≤ mag: ≤ (nb + 4)·u·mag; the central difference is good to ~1e-8.
                Assert.True(Math.Abs(dx[r * Inputs + i] - want) <= 2e-6 * mag + 1e-7, $"{name} row {r} input {i} x={xv}: ours {dx[r * Inputs + i]}, reference {want}");
            }
    }

    [Theory, MemberData(nameof(Bases))]
    public void EveryTierGivesTheSameBits(string name)
    {
        var basis = Make(name);
        int rows = 5, nb = basis.Count, ld = nb * Inputs;
        var x = Samples(rows, 13);
        var g = Samples(rows * nb, 14, -1, 1);
        basis.Prepare();
        float[]? f0 = null, d0 = null;
        foreach (var tier in new[] { SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512 })
        {
            var f = new float[rows * ld];
            var dx = new float[x.Length];
            basis.Expand(x, rows, f, ld, 0, tier);
            basis.AccumulateInputGrad(x, rows, g, ld, 0, dx, tier);
            f0 ??= f;
            d0 ??= dx;
            Assert.Equal(f0.Select(BitConverter.SingleToInt32Bits), f.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(d0.Select(BitConverter.SingleToInt32Bits), dx.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(12, 2)]
    [InlineData(3, 5)]
    public void BSplinesSumToOneInsideTheGrid(int grid, int order)
    {
        var basis = new BSplineBasis(Inputs, grid, order, -0.7, 1.9);
        int rows = 20, nb = basis.Count;
        var x = Samples(rows, 15, -0.7f, 1.9f);
        var f = new float[rows * nb * Inputs];
        basis.Expand(x, rows, f, nb * Inputs, 0);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < Inputs; i++)
            {
                double s = 0;
                for (int j = 0; j < nb; j++) s += f[r * nb * Inputs + j * Inputs + i];
                Assert.True(Math.Abs(s - 1) <= 1e-6, $"Σ B_j({x[r * Inputs + i]}) = {s}");
            }
    }

    [Fact]
    public void BSplinesMatchExactGoldenValues()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "kan_bspline_golden.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            int g = c.GetProperty("grid_size").GetInt32(), k = c.GetProperty("order").GetInt32();
            var pts = c.GetProperty("points").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var knots = c.GetProperty("knots").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            var xs = c.GetProperty("x").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            var values = c.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var derivs = c.GetProperty("derivatives").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var basis = new BSplineBasis(1, g, k);
            basis.SetGrid(0, pts);
            Assert.Equal(knots, basis.Grid.ToArray());
            int nb = basis.Count;
            var f = new float[xs.Length * nb];
            basis.Expand(xs, xs.Length, f, nb, 0);
            for (int r = 0; r < xs.Length; r++)
                for (int j = 0; j < nb; j++)
                {
                    Assert.True(Math.Abs(f[r * nb + j] - values[r][j]) <= 1e-6, $"{name} B_{j}({xs[r]}): ours {f[r * nb + j]}, exact {values[r][j]}");
                    var gj = new float[xs.Length * nb];
                    gj[r * nb + j] = 1;
                    var dx = new float[xs.Length];
                    basis.AccumulateInputGrad(xs, xs.Length, gj, nb, 0, dx);
                    Assert.True(Math.Abs(dx[r] - derivs[r][j]) <= 1e-5 * Math.Max(1, Math.Abs(derivs[r][j])), $"{name} B′_{j}({xs[r]}): ours {dx[r]}, exact {derivs[r][j]}");
                }
        }
    }
}
