using Nonlinear.Kan.Symbolic;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Symbolic;

/// <summary>Symbolic regression of one edge: planted functions are recovered; degenerate data gives clean results.</summary>
public class EdgeSymbolicFitterTests
{
    private static (double[] X, double[] Y) Sample(Func<double, double> f, int n, double noise, ulong seed, double lo = -1, double hi = 1)
    {
        var rng = new Rng(seed);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = lo + (hi - lo) * rng.NextDouble();
            y[i] = f(x[i]) + noise * rng.NextGaussian();
        }
        return (x, y);
    }

    [Fact]
    public void RecoversSineWithAllFourCoefficients()
    {
        // y = 2·sin(3x + 1) − 0.5 + N(0, 0.01²). Equivalent parameterisations exist (a → −a with b → π − b, b + 2πk,
        // c → −c with b + π), so compare |a|, |c|, d, and sin(a·x+b)·c against the truth, not raw (a, b).
        var (x, y) = Sample(t => 2 * Math.Sin(3 * t + 1) - 0.5, 300, 0.01, 11);
        var fit = EdgeSymbolicFitter.Fit(x, y, SymbolicLibrary.Get("sin"))!;
        Assert.Equal(3.0, Math.Abs(fit.A), 0.01);
        Assert.Equal(2.0, Math.Abs(fit.C), 0.01);
        Assert.Equal(-0.5, fit.D, 0.01);
        for (double t = -1; t <= 1; t += 0.05) Assert.Equal(2 * Math.Sin(3 * t + 1) - 0.5, fit.Evaluate(t), 0.01);
        Assert.True(fit.R2 > 0.9999, $"R² {fit.R2}");
        var best = EdgeSymbolicFitter.Suggest(x, y)[0];
        Assert.Contains(best.Function.Name, new[] { "sin", "cos" });
    }

    [Theory]
    [InlineData("x^2", 0.02, 0.8)]
    [InlineData("exp", 0.02, 0.8)]
    [InlineData("tanh", 0.005, 0.8)]
    [InlineData("log", 0.005, 0.8)]
    [InlineData("x", 0.02, 0.8)]
    [InlineData("gaussian", 0.005, 0.8)]
    // Complexity 4 cannot outrank sin (complexity 2, R² = 0.999 here) at pykan's weight 0.8: the best possible
    // quality term is 0.2·log₂(1e-5) = −3.3 against a complexity gap of 1.6. At weight 0.5 it must win.
    [InlineData("arctan", 1e-4, 0.5)]
    public void PlantedFunctionRanksFirst(string name, double noise, double weightSimple)
    {
        // c·f(a·x + b) + d with coefficients that keep log's argument positive on [−1, 1].
        var f = SymbolicLibrary.Get(name);
        double a = 1.7, b = name == "log" ? 2.2 : 0.3, c = -1.3, d = 0.4;
        var (x, y) = Sample(t => c * f.Evaluate(a * t + b) + d, 400, noise, 5);
        var ranked = EdgeSymbolicFitter.Suggest(x, y, new SymbolicFitOptions(WeightSimple: weightSimple));
        Assert.True(ranked[0].Function.Name == name, $"{name}: ranked {string.Join(", ", ranked.Take(4).Select(r => $"{r.Function.Name} R²={r.R2:F6} s={r.Score:F2}"))}");
        for (double t = -1; t <= 1; t += 0.1) Assert.Equal(c * f.Evaluate(a * t + b) + d, ranked[0].Evaluate(t), 4 * noise + 1e-6);
    }

    [Fact]
    public void ConstantDataGivesTheZeroFunctionOnly()
    {
        var x = Enumerable.Range(0, 50).Select(i => i / 25.0 - 1).ToArray();
        var y = Enumerable.Repeat(2.5, 50).ToArray();
        var ranked = EdgeSymbolicFitter.Suggest(x, y);
        var only = Assert.Single(ranked);
        Assert.Equal("0", only.Function.Name);
        Assert.Equal(2.5, only.D);
        Assert.Equal(1.0, only.R2);
        Assert.Equal("2.5  (f = 0, R² = 1.000000)", only.ToString());
    }

    [Fact]
    public void DegenerateInputsNeverGiveNaNOrThrow()
    {
        // x through 0 (1/x, log, sqrt singular there), a constant x column, and pure noise.
        var x0 = Enumerable.Range(0, 41).Select(i => i / 20.0 - 1).ToArray();
        var cases = new (double[] X, double[] Y)[]
        {
            (x0, x0.Select(t => t * t).ToArray()),
            (Enumerable.Repeat(0.3, 30).ToArray(), Enumerable.Range(0, 30).Select(i => (double)(i % 3)).ToArray()),
            Sample(_ => 0, 64, 1, 9),
            (new[] { 0.0 }, new[] { 1.0 }),
        };
        foreach (var (x, y) in cases)
        {
            var ranked = EdgeSymbolicFitter.Suggest(x, y);
            Assert.NotEmpty(ranked);
            foreach (var r in ranked)
            {
                Assert.True(double.IsFinite(r.A) && double.IsFinite(r.B) && double.IsFinite(r.C) && double.IsFinite(r.D) && double.IsFinite(r.R2) && double.IsFinite(r.Score),
                    $"{r.Function.Name}: {r.A} {r.B} {r.C} {r.D} {r.R2}");
                foreach (double t in x) Assert.True(double.IsFinite(r.Evaluate(t)), $"{r.Function.Name} at {t}");
            }
        }
        Assert.Throws<ArgumentException>(() => EdgeSymbolicFitter.Suggest([1.0, double.NaN], [0.0, 0.0]));
        Assert.Throws<ArgumentException>(() => EdgeSymbolicFitter.Suggest([1.0], [0.0, 0.0]));
    }

    [Fact]
    public void LibraryHasAtLeast25DistinctFunctions()
    {
        Assert.True(SymbolicLibrary.All.Count >= 25);
        Assert.Equal(SymbolicLibrary.All.Count, SymbolicLibrary.All.Select(f => f.Name).Distinct().Count());
        Assert.Contains("no symbolic function 'foo'", Assert.Throws<ArgumentException>(() => SymbolicLibrary.Get("foo")).Message);
    }
}
