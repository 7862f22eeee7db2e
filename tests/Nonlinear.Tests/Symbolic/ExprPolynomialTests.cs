using Nonlinear.Symbolic;
using Xunit;

namespace Nonlinear.Tests.Symbolic;

/// <summary>The simplifier's polynomial expansion: a KAN's ((x+y)² − (x−y)²)/4 must read x·y, and nothing grows.</summary>
public class ExprPolynomialTests
{
    [Theory]
    [InlineData("0.25*(x + y)^2 - 0.25*(x - y)^2", "x*y")]
    // The shape a [2,2,1] KAN gives after its symbolic stage: squares of affine nodes with offsets that cancel.
    [InlineData("0.125*(2*x + 2*y + 0.5)^2 - 0.125*(2*x - 2*y + 0.5)^2 - 0.5*y", "2*x*y")]
    [InlineData("2*(x - 0.5)^2 - 2*x^2 + 2*x", "0.5")]
    [InlineData("sin(0.5*(x + y)^2 - 0.5*(x - y)^2)", "sin(2*x*y)")]
    [InlineData("0.01394*(-(8.47*y) - 0.00003248)^2", "y^2")]
    [InlineData("(x + 1)^3", "(x + 1)^3")]          // the expansion has four terms: kept as it is
    [InlineData("(x + y)^20 - 1", "(x + y)^20 - 1")] // beyond the degree bound: untouched, no blow-up
    [InlineData("exp(x)*(y + 1)^2", "exp(x)*(y + 1)^2")]
    public void ExpandsWhereSimpler(string text, string expected)
    {
        var e = ExprSimplifier.Simplify(ExprParser.Parse(text).Expression, digits: 4, zeroBelow: 1e-4);
        Assert.Equal(expected, e.ToString());
    }

    [Theory]
    [InlineData("0.3*(1.7*x - 0.2*y + 0.4)^2 - 1.1*(0.6*x + y - 0.3)^2 + 2*x*y - 0.7")]
    [InlineData("(x - y)^2*(x + 2*y)/4 - x^3/4")]
    public void ExpansionKeepsTheValue(string text)
    {
        var e = ExprParser.Parse(text).Expression;
        var s = ExprSimplifier.Simplify(e);
        Assert.NotEqual(e.ToString(), s.ToString()); // these do simplify
        var rng = new Random(5);
        for (int k = 0; k < 50; k++)
        {
            double[] v = [4 * rng.NextDouble() - 2, 4 * rng.NextDouble() - 2];
            double a = e.Evaluate(v), b = s.Evaluate(v);
            Assert.True(Math.Abs(a - b) <= 1e-12 * (1 + Math.Abs(a)), $"{text} → {s}: {a} vs {b} at ({v[0]}, {v[1]})");
        }
    }
}
