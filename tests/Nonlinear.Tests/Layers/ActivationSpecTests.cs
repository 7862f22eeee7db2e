using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>The one activation registry: specs round-trip, names are unique, misspellings of either kind suggest, bad values are refused at parse.</summary>
public class ActivationSpecTests
{
    public static TheoryData<string> EveryName()
    {
        var data = new TheoryData<string>();
        foreach (var e in ActivationRegistry.All) data.Add(e.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryName))]
    public void EveryEntryRoundTripsThroughToString(string name)
    {
        var spec = ActivationSpec.Parse(name);
        Assert.Equal(name, spec.ToString());
        Assert.Equal(spec, ActivationSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("leaky_relu(0.2)", "leaky_relu(negative_slope=0.2)")]
    [InlineData("ELU(alpha=1)", "elu")]
    [InlineData("pau(5,4)", "pau")]
    [InlineData("rational(3, 2, form=abs, init=tanh)", "pau(m=3, n=2, form=abssum, init=tanh)")]
    [InlineData("pau(init=leaky_relu(0.2), per_channel=yes)", "pau(init=leaky_relu(negative_slope=0.2), per_channel=true)")]
    [InlineData("prelu(0.1, per_channel=true)", "prelu(init=0.1, per_channel=true)")]
    [InlineData("snake(a=0.5)", "snake(a=0.5)")]
    [InlineData("parametric_relu()", "prelu")]
    public void ArgumentsAreCanonicalAndParseBack(string typed, string canonical)
    {
        var spec = ActivationSpec.Parse(typed);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, ActivationSpec.Parse(canonical));
        Assert.Equal(spec.GetHashCode(), ActivationSpec.Parse(canonical).GetHashCode());
    }

    [Fact]
    public void SpecsWithDifferentValuesDiffer()
    {
        Assert.NotEqual(ActivationSpec.Parse("prelu"), ActivationSpec.Parse("prelu(init=0.3)"));
        Assert.NotEqual(ActivationSpec.Parse("prelu"), ActivationSpec.Parse("prelu_fixed"));
    }

    /// <summary>torch.nn.PReLU is learnable, so the name is the learnable unit; the fixed-slope catalog entry has its own name.</summary>
    [Theory]
    [InlineData("prelu", "prelu_fixed")]
    [InlineData("apa", "apa_fixed")]
    [InlineData("snake", "snake_fixed")]
    public void EachNameHasOneMeaning(string learnable, string fixedName)
    {
        Assert.True(ActivationSpec.Parse(learnable).IsLearnable);
        Assert.IsAssignableFrom<Module>(ActivationSpec.Parse(learnable).CreateModule(4, new Rng(0)));
        Assert.NotEmpty(ActivationSpec.Parse(learnable).CreateModule(4, new Rng(0)).Parameters());
        var f = ActivationSpec.Parse(fixedName);
        Assert.False(f.IsLearnable);
        Assert.IsType<ActivationLayer>(f.CreateModule(4, new Rng(0)));
        Assert.False(ActivationCatalog.TryGet(learnable, out _));
    }

    [Fact]
    public void ANameDeclaredByBothKindsFailsTheIndex()
    {
        var clash = new LearnableUnit("gelu", "clash", [], _ => throw new InvalidOperationException("not built"));
        var entries = new[] { RegisteredActivation.Of(clash), RegisteredActivation.Of(ActivationCatalog.Get("gelu")) };
        Assert.Contains("'gelu' is declared twice", Assert.Throws<InvalidOperationException>(() => ActivationRegistry.Index(entries)).Message);
    }

    [Theory]
    [InlineData("gelx", "did you mean gelu")]
    [InlineData("snake_bet", "did you mean snake_beta")]
    [InlineData("prelux", "did you mean prelu")]
    [InlineData("sua", "sau")]
    public void UnknownNamesOfEitherKindSuggest(string typed, string expected)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse(typed));
        Assert.Contains($"unknown activation '{typed}'", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Contains("learnable: prelu, apa, sau, pau, snake, snake_beta", ex.Message);
    }

    [Theory]
    [InlineData("leaky_relu(1e40)", "negative_slope = 1e40 is outside the float32 range")]
    [InlineData("elu(alpha=1e300)", "alpha = 1e300 is outside the float32 range")]
    [InlineData("elu(alpha=inf)", "'inf' is not a number (parameter alpha)")]
    [InlineData("elu(alpha=-Infinity)", "alpha = -Infinity is outside the float32 range")]
    [InlineData("prelu(init=-1e39)", "init = -1e39 is outside the float32 range")]
    [InlineData("snake_beta(beta=3.5e38)", "beta = 3.5e38 is outside the float32 range")]
    [InlineData("elu(alpha=nan)", "'nan' is not a number (parameter alpha)")]
    public void ValuesBeyondFloat32AreRefusedAtParse(string typed, string expected)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse(typed));
        Assert.Contains(expected, ex.Message);
        // The catalog's own parser is the same binder.
        if (!ActivationSpec.Parse(typed.Split('(')[0]).IsLearnable)
            Assert.Contains(expected, Assert.Throws<InvalidInputException>(() => ActivationCatalog.Parse(typed)).Message);
    }

    [Fact]
    public void Float32MaxItselfIsAccepted() =>
        Assert.Equal(float.MaxValue, ActivationSpec.Parse("prelu(init=3.4028234663852886E+38)").CreateModule(1, new Rng(0)).Parameters().Single().ToArray()[0]);

    [Theory]
    [InlineData("pau(m=5, q=1)", "pau has no parameter 'q' (it has: m, n, form, init, range, fit, per_channel)")]
    [InlineData("pau(form=odd)", "form must be safe or abssum; got 'odd'")]
    [InlineData("pau(m=99)", "m must be an integer in [0, ")]
    [InlineData("pau(init=gelx)", "init: unknown activation 'gelx'; did you mean gelu")]
    [InlineData("prelu(init=x)", "'x' is not a number (parameter init)")]
    [InlineData("prelu(0.1, init=0.2)", "parameter 'init' given twice")]
    [InlineData("prelu(1, true, 3)", "prelu takes 2 parameter(s) (init, per_channel); got 3")]
    [InlineData("apa(gated=maybe)", "gated must be true or false; got 'maybe'")]
    [InlineData("sau(sigma=0)", "sigma = 0; expected a value in [0.0001, ")]
    [InlineData("relu(1)", "relu takes 0 parameter(s) (none); got 1")]
    [InlineData("elu(alpha=1", "with a closing parenthesis")]
    [InlineData("elu(,)", "empty argument")]
    public void BadArgumentsOfEitherKindAreNamed(string typed, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse(typed)).Message);

    [Fact]
    public void ParsingBoundsTheLengthItReads() =>
        Assert.Contains("at most 4096 are read", Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse("relu(" + new string('1', 5000) + ")")).Message);
}
