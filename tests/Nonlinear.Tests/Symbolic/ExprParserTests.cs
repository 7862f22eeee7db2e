using Nonlinear.Data;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Symbolic;

/// <summary>Formula parsing, evaluation, printing (round trip) and error positions.</summary>
public class ExprParserTests
{
    [Theory]
    [InlineData("exp(sin(pi*x)+y^2)", new[] { 0.3, -0.7 }, 3.6656915005950261)] // exp(sin(0.3π) + 0.49), Python math
    [InlineData("-x^2", new[] { 3.0 }, -9.0)]
    [InlineData("2^-1", new double[0], 0.5)]
    [InlineData("2^3^2", new double[0], 512.0)]
    [InlineData("x**2 + 1", new[] { 2.0 }, 5.0)]
    [InlineData("1 - 2 - 3", new double[0], -4.0)]
    [InlineData("8/2/2", new double[0], 2.0)]
    [InlineData("pow(x, 3) / sqrt(4)", new[] { 2.0 }, 4.0)]
    [InlineData("sigmoid(0) + tanh(0) + ln(e) + abs(-2.5e-1)", new double[0], 1.75)]
    [InlineData("x1 * x2 + x10", new[] { 2.0, 3.0, 1.0 }, 7.0)]
    [InlineData("arctanh(0.5) - atanh(0.5) + gaussian(1)", new double[0], 0.36787944117144233)]
    public void EvaluatesKnownValues(string text, double[] point, double expected)
    {
        var f = ExprParser.Parse(text);
        Assert.Equal(expected, f.Evaluate(point), 1e-14);
    }

    [Fact]
    public void OrdersVariablesXYZThenNumbered()
    {
        Assert.Equal(["x", "y", "z"], ExprParser.Parse("z + y*x").Variables);
        Assert.Equal(["x1", "x2", "x10"], ExprParser.Parse("x10 + x2 + x1").Variables);
    }

    [Theory]
    [InlineData("exp(sin(pi*x)+y^2)")]
    [InlineData("-(x - y)^2/(1 + x)")]
    [InlineData("(-2)^x - -x")]
    [InlineData("a/(b*c) - (d - e1)")]
    [InlineData("2^3^x")]
    public void TextRoundTripsToTheSameValues(string text)
    {
        var f = ExprParser.Parse(text);
        var g = ExprParser.Parse(ExprFormat.Text(f.Expression, digits: 17));
        double[] p = [0.37, 1.9, -0.6, 2.2, 0.45];
        var point = p.AsSpan(0, f.Variables.Count);
        Assert.Equal(f.Variables, g.Variables);
        double a = f.Evaluate(point), b = g.Evaluate(point);
        Assert.True(a.Equals(b) || Math.Abs(a - b) <= 1e-12 * Math.Abs(a), $"{text} printed as {f.Expression}: {a} vs {b}");
    }

    [Theory]
    [InlineData("sin(x", "column 6")]
    [InlineData("x +* y", "column 4")]
    [InlineData("foo(x)", "unknown function 'foo'")]
    [InlineData("2x", "unexpected 'x' at column 2")]
    [InlineData("", "empty")]
    [InlineData("sin", "needs an argument")]
    [InlineData("1.2.3", "malformed number '1.2.3' at column 1")]
    [InlineData("x $ y", "unexpected '$' at column 3")]
    [InlineData("pow(x)", "two arguments")]
    [InlineData("sin(x, y)", "one argument")]
    public void MalformedInputNamesTheColumn(string text, string fragment)
    {
        var e = Assert.Throws<InvalidInputException>(() => ExprParser.Parse(text));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void DeepNestingIsRejectedNotStackOverflow()
    {
        var text = new string('(', 10000) + "x" + new string(')', 10000);
        Assert.Throws<InvalidInputException>(() => ExprParser.Parse(text));
        Assert.Contains("nests deeper", Assert.Throws<InvalidInputException>(() => ExprParser.Parse(new string('-', 1000) + "x")).Message);
    }

    [Fact]
    public void LatexOfThePaperFormula()
    {
        var f = ExprParser.Parse("exp(sin(pi*x)+y^2) - sqrt(x1)/2");
        Assert.Equal("\\exp\\left(\\sin\\left(3.142 x\\right) + {y}^{2}\\right) - \\frac{\\sqrt{x_{1}}}{2}", ExprFormat.Latex(f.Expression));
    }

    [Fact]
    public void SimplifierDropsNeutralAndNegligibleTerms()
    {
        var e = ExprParser.Parse("1*(0 + x)*1 + 0*y + 1e-9*z - (-3)").Expression;
        Assert.Equal("x + 3", ExprSimplifier.Simplify(e, digits: 4, zeroBelow: 1e-6).ToString());
        var f = ExprParser.Parse("1.000012*sin(3.1415926*x + 0.99999) + -0.50004").Expression;
        Assert.Equal("sin(3.142*x + 1) - 0.5", ExprSimplifier.Simplify(f, digits: 4).ToString());
        Assert.Equal("-(2*x)", ExprSimplifier.Simplify(ExprParser.Parse("x*(-2)").Expression).ToString());
    }

    [Theory]
    [InlineData("0.01394*(-(8.47*y) - 0.00003248)^2", "y^2")]
    [InlineData("-(0.9997*sin(3.141*x - 3.142))", "0.9997*sin(3.141*x)")]
    [InlineData("sin(-(3.142*x))", "-sin(3.142*x)")]
    [InlineData("cos(-(2*x) + 1)", "cos(2*x - 1)")]
    [InlineData("sin(2*x + 1)", "sin(2*x + 1)")]
    [InlineData("0.0007232*exp(0.2109*(2.178*y)^2 - sin(-(3.142*x)) + 7.232)", "exp(y^2 + sin(3.142*x))")]
    [InlineData("0.6031*exp(x - 1.081) + 853.9*exp(x - 6.979)", "0.9998*exp(x)")]
    public void SimplifierUsesSymmetriesAndPowersOfProducts(string text, string expected)
    {
        var e = ExprSimplifier.Simplify(ExprParser.Parse(text).Expression, digits: 4, zeroBelow: 1e-4);
        Assert.Equal(expected, e.ToString());
    }

    [Fact]
    public void FormulaDataIsSeededUniformAndExact()
    {
        var f = ExprParser.Parse("exp(sin(pi*x)+y^2)");
        var a = FormulaData.Sample(f, 500, new Rng(3));
        var b = FormulaData.Sample(f, 500, new Rng(3));
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(2, a.FeatureCount);
        Assert.All(a.Features, v => Assert.InRange(v, -1f, 1f));
        Assert.InRange(a.Features.Average(), -0.1, 0.1); // uniform on [−1, 1]: mean 0, sd of the mean 0.026
        for (int i = 0; i < 10; i++)
            Assert.Equal((float)Math.Exp(Math.Sin(Math.PI * a.Features[2 * i]) + Math.Pow(a.Features[2 * i + 1], 2)), a.Targets![i]);
        var e = Assert.Throws<InvalidInputException>(() => FormulaData.Sample(ExprParser.Parse("log(x)"), 100, new Rng(1)));
        Assert.Contains("domain", e.Message);
    }
}
