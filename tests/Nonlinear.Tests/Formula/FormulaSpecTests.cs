using Nonlinear.Activations;
using Nonlinear.Activations.Formula;
using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.Formula;

/// <summary>How a formula is told apart from a registry name, what it refuses and why, and that it round-trips as text.</summary>
public sealed class FormulaSpecTests
{
    [Fact]
    public void EveryRegistryNameAndAliasStaysANameSpec()
    {
        foreach (var e in ActivationRegistry.All)
            foreach (var n in e.Aliases.Prepend(e.Name))
                Assert.False(FormulaText.IsFormula(n), $"'{n}' would be read as a formula");
        // Arguments with signs, keys and nested specs are inside parentheses: still names.
        foreach (var s in new[] { "elu(x)", "leaky_relu(-0.2)", "hard_tanh(-2, 3)", "elu(alpha=0.5)", "pau(m=5, n=4, init=gelu)", "pau(init=leaky_relu(0.01))", "relu" })
            Assert.False(FormulaText.IsFormula(s), s);
    }

    [Theory]
    [InlineData("x*tanh(softplus(x))")]
    [InlineData("tanh(x)")]
    [InlineData("x")]
    [InlineData("formula:relu(x)")]
    [InlineData("-relu")]
    [InlineData("2+3")]
    [InlineData("x*sigmoid(b*x); b=1.5")]
    public void OperatorsTheWordXOrThePrefixMakeAFormula(string spec) => Assert.True(FormulaText.IsFormula(spec));

    [Fact]
    public void SpecRoundTripsAsTheFormulaText()
    {
        var spec = ActivationSpec.Parse("  formula: x*sigmoid(b*x);b = 1.5 ");
        Assert.True(spec.IsFormula);
        Assert.Equal("x*sigmoid(b*x); b=1.5", spec.ToString());
        var again = ActivationSpec.Parse(spec.ToString());
        Assert.Equal(spec, again);
        Assert.Equal(spec.GetHashCode(), again.GetHashCode());
        Assert.NotEqual(spec, ActivationSpec.Parse("x*sigmoid(b*x); b=2"));
        Assert.NotEqual(spec, ActivationSpec.Parse("silu(beta=1.5)"));
        // Bound parameters act like the catalog's: the same bits as silu(beta=1.5).
        var x = Enumerable.Range(-400, 801).Select(k => k / 37f).ToArray();
        var (a, b) = (new float[x.Length], new float[x.Length]);
        spec.Fixed!.Forward(x, a);
        ActivationCatalog.Parse("silu(beta=1.5)").Forward(x, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void ListsSplitAroundFormulas()
    {
        var list = ActivationSpec.ParseList("relu, x*tanh(softplus(x)), pow(x,2)*sigmoid(x), elu(alpha=0.5)");
        Assert.Equal(["relu", "x*tanh(softplus(x))", "pow(x,2)*sigmoid(x)", "elu(alpha=0.5)"], list.Select(s => s.ToString()).ToArray());
        Assert.Equal([false, true, true, false], list.Select(s => s.IsFormula).ToArray());
    }

    [Theory]
    [InlineData("log(x)", "is NaN at x = -5.9537")]
    [InlineData("sqrt(x)", "is NaN at x = -5.9537")]
    [InlineData("exp(exp(exp(x)))", "must be finite")]
    [InlineData("x*sigmoid(b*x)", "'b' has no value")]
    [InlineData("x; b=1", "parameter 'b' is not used")]
    [InlineData("x*b; b=1; b=2", "given twice")]
    [InlineData("x*b; b=inf", "expected a finite number")]
    [InlineData("x*b; x=2", "cannot be a parameter")]
    [InlineData("2+3", "does not use x")]
    [InlineData("x*trigamma(x)", "derivative cannot be written")]
    [InlineData("x*foo(x)", "unknown function 'foo'")]
    [InlineData("x*(1", "missing ')'")]
    public void BadFormulasAreRefusedWithTheFormulaAndTheReason(string spec, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse(spec));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AWrongDerivativeIsCaughtByFiniteDifferencesAtAPoint()
    {
        var f = ExprParser.Parse("x*sigmoid(x)").Expression;
        var wrong = ExprParser.Parse("sigmoid(x)").Expression;
        var e = Assert.Throws<InvalidInputException>(() => FormulaCheck.Run("x*sigmoid(x)", f, wrong));
        Assert.Contains("'x*sigmoid(x)'", e.Message);
        Assert.Contains("at x = -5.9537", e.Message);
        Assert.Contains("finite differences give", e.Message);
    }

    [Fact]
    public void MaxAndMinAreReluForms()
    {
        Assert.Equal("relu(x)", ExprParser.Parse("max(x, 0)").Expression.ToString());
        var f = ExprParser.Parse("min(x, 2*x) + max(sin(x), x)").Expression;
        foreach (double x in new[] { -3.0, -0.5, 0.25, 2.0 })
            Assert.Equal(Math.Min(x, 2 * x) + Math.Max(Math.Sin(x), x), f.Evaluate([x]), 12);
    }

    [Fact]
    public void TensorGradientsAndSecondDerivativesFollowTheSymbolicRules()
    {
        var act = (FormulaActivation)ActivationCatalog.Parse("x*tanh(softplus(x))");
        var x = Tensor.From(-2f, -0.5f, 0.3f, 1.7f).RequireGrad();
        var y = act.Apply(x);
        var g = Autograd.Grad([O.Sum(y)], [x], createGraph: true)[0];
        var gg = Autograd.Grad([O.Sum(g)], [x])[0];
        var xs = x.AsReadOnlySpan().ToArray();
        var d2 = ExprSimplifier.Simplify(ExprDerivative.Differentiate(act.DerivativeExpression, 0));
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(act.ReferenceDerivative(xs[i]), g.AsReadOnlySpan()[i], 5);
            Assert.Equal(d2.Evaluate([xs[i]]), gg.AsReadOnlySpan()[i], 4);
        }
    }

    [Fact]
    public void EveryModelKindThatTakesAnActivationTakesAFormula()
    {
        var spec = ModelSpec.Parse("mlp:16,16", "x*tanh(softplus(x))");
        Assert.Equal("x*tanh(softplus(x))", spec.Activation!.ToString());
        var module = spec.Activation.CreateModule(4, new Rng(0));
        var layer = Assert.IsType<ActivationLayer>(module);
        Assert.Equal("x*tanh(softplus(x))", layer.ToString());
    }
}
