using System.Text.Json;
using Nonlinear.Symbolic;
using Xunit;

namespace Nonlinear.Tests.Symbolic;

/// <summary>The formula language's special functions: values against mpmath goldens, derivatives against central differences.</summary>
public class SpecialFunctionTests
{
    private static readonly Dictionary<string, MathFunction> ByGoldenName = new()
    {
        ["erf"] = MathFunction.Erf, ["erfc"] = MathFunction.Erfc, ["gamma"] = MathFunction.Gamma, ["lgamma"] = MathFunction.Lgamma,
        ["digamma"] = MathFunction.Digamma, ["trigamma"] = MathFunction.Trigamma, ["j0"] = MathFunction.BesselJ0,
        ["j1"] = MathFunction.BesselJ1, ["sinc"] = MathFunction.Sinc,
    };

    [Fact]
    public void ValuesMatchMpmathGoldens()
    {
        // tools/golden/special_functions.py: mpmath at 40 digits.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "special_functions_golden.json")));
        int n = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("fn").GetString()!;
            double x = c.GetProperty("x").GetDouble(), want = c.GetProperty("y").GetDouble();
            double got = MathFunctions.Apply(ByGoldenName[name], x);
            // Bounded oscillating functions are judged on an absolute scale of 1 (near their zeros relative error is meaningless).
            double scale = name is "j0" or "j1" or "sinc" or "erf" ? Math.Max(Math.Abs(want), 1) : Math.Abs(want);
            Assert.True(Math.Abs(got - want) <= 1e-13 * scale, $"{name}({x}) = {got:R}, mpmath {want:R}, error {Math.Abs(got - want) / scale:G3}");
            n++;
        }
        Assert.True(n > 200, $"only {n} golden cases");
    }

    [Fact]
    public void SpecialValuesAndPoles()
    {
        Assert.Equal(120.0, SpecialFunctions.Gamma(6));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.Gamma(0.0));
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.Gamma(-0.0));
        Assert.True(double.IsNaN(SpecialFunctions.Gamma(-3)));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.LogGamma(-3));
        Assert.Equal(0.0, SpecialFunctions.LogGamma(1));
        Assert.Equal(1.0, SpecialFunctions.BesselJ0(0));
        Assert.Equal(0.0, SpecialFunctions.BesselJ1(0));
        Assert.Equal(1.0, SpecialFunctions.Sinc(0));
        Assert.Equal(0.0, SpecialFunctions.Sinc(3));
        Assert.Equal(-SpecialFunctions.BesselJ1(2.5), SpecialFunctions.BesselJ1(-2.5));
    }

    public static TheoryData<MathFunction> Differentiable()
    {
        var data = new TheoryData<MathFunction>();
        foreach (var f in Enum.GetValues<MathFunction>())
            if (f is not MathFunction.Trigamma and not MathFunction.Sign and not MathFunction.Relu and not MathFunction.Abs) data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Differentiable))]
    public void DerivativeMatchesCentralDifference(MathFunction f)
    {
        // f(0.5·x + 0.1) at points where 0 < 0.5·x + 0.1 < 1 (inside every domain: log, sqrt, arcsin, …): the chain rule is exercised too.
        var x = new Var(0, "x");
        var e = Expr.F(f, Expr.C(0.5) * x + Expr.C(0.1));
        var d = ExprDerivative.Differentiate(e, 0);
        foreach (double p in new[] { -0.1, 0.27, 0.8, 1.3 })
        {
            double h = 1e-5;
            double fd = (e.Evaluate([p + h]) - e.Evaluate([p - h])) / (2 * h);
            double an = d.Evaluate([p]);
            Assert.True(Math.Abs(an - fd) <= 1e-7 * Math.Max(1, Math.Abs(fd)), $"{f} at {p}: symbolic {an:R}, central difference {fd:R}");
        }
    }

    [Fact]
    public void DerivativeRulesOfOperatorsAndKinks()
    {
        var x = new Var(0, "x");
        var y = new Var(1, "y");
        // d/dx (x·y + x/y − x^3 + 2^x) = y + 1/y − 3x² + 2^x·ln 2
        var e = x * y + x / y - Expr.Pow(x, Expr.C(3)) + Expr.Pow(Expr.C(2), x);
        var dx = ExprDerivative.Differentiate(e, 0);
        double px = 0.7, py = -1.9;
        Assert.Equal(py + 1 / py - 3 * px * px + Math.Pow(2, px) * Math.Log(2), dx.Evaluate([px, py]), 1e-14);
        Assert.Equal(px - px / (py * py), ExprDerivative.Differentiate(e, 1).Evaluate([px, py]), 1e-14);
        Assert.Equal(-1.0, ExprDerivative.Differentiate(Expr.F(MathFunction.Abs, x), 0).Evaluate([-2.0]));
        Assert.Equal(0.5, ExprDerivative.Differentiate(Expr.F(MathFunction.Relu, x), 0).Evaluate([0.0]));
        Assert.Throws<NotSupportedException>(() => ExprDerivative.Differentiate(Expr.F(MathFunction.Trigamma, x), 0));
        // sinc′ is written (cos(πu) − sinc u)/u: the printed form is what a user reads.
        Assert.Equal("(cos(3.142*x) - sinc(x))/x", ExprFormat.Text(ExprSimplifier.Simplify(ExprDerivative.Differentiate(Expr.F(MathFunction.Sinc, x), 0), digits: 4)));
    }

    [Fact]
    public void ParserKnowsTheNewFunctions()
    {
        var f = ExprParser.Parse("erf(x) + erfc(y) + gamma(x+2) + lgamma(3) + j0(x) + j1(y) + sinc(x) + besselj0(0)");
        double x = 0.3, y = -0.4;
        double want = SpecialFunctions.BesselJ0(x) + SpecialFunctions.BesselJ1(y) + SpecialFunctions.Sinc(x) + 1
            + MathFunctions.Apply(MathFunction.Erf, x) + MathFunctions.Apply(MathFunction.Erfc, y) + SpecialFunctions.Gamma(2.3) + Math.Log(2);
        Assert.Equal(want, f.Expression.Evaluate([x, y]), 1e-14);
        Assert.Equal("J_0", MathFunctions.Latex(MathFunction.BesselJ0));
    }
}
