using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Models;

/// <summary>The typed model spec: one parser with one set of bounds, a ToString that parses back, kind defaults and refusals.</summary>
public class ModelSpecTests
{
    [Theory]
    [InlineData("mlp:256,256", null, "mlp:256,256", "relu")]
    [InlineData(" MLP ", "gelu", "mlp:", "gelu")]
    [InlineData("mlp:", "pau(5,4)", "mlp:", "pau")]
    [InlineData("cnn:4,8", "prelu(per_channel=true)", "cnn:4,8", "prelu(per_channel=true)")]
    [InlineData("kan:64@8", null, "kan:64@8", null)]
    [InlineData("kan-rbf:", "", "kan-rbf:", null)]
    [InlineData("skan:3,2", null, "skan:3,2", null)]
    public void ParsesAndPrintsBack(string model, string? activation, string printed, string? printedActivation)
    {
        var spec = ModelSpec.Parse(model, activation);
        Assert.Equal(printed, spec.ToString());
        Assert.Equal(printedActivation, spec.Activation?.ToString());
        var again = ModelSpec.Parse(spec.ToString(), spec.Activation?.ToString());
        Assert.Equal(spec, again);
        Assert.Equal(spec.GetHashCode(), again.GetHashCode());
    }

    [Fact]
    public void DifferentActivationsOrGridsDiffer()
    {
        Assert.NotEqual(ModelSpec.Parse("mlp:8", "relu"), ModelSpec.Parse("mlp:8", "gelu"));
        Assert.NotEqual(ModelSpec.Parse("kan:8"), ModelSpec.Parse("kan:8@5"));
        Assert.NotEqual(ModelSpec.Parse("mlp:8"), ModelSpec.Parse("mlp:8,8"));
    }

    [Theory]
    [InlineData("kan:16", "relu")]
    [InlineData("kan-fourier:4", "prelu")]
    [InlineData("skan:4", "gelu")]
    public void KanKindsRefuseAnActivationInOneLine(string model, string activation)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(model, activation));
        Assert.Contains($"--activation '{activation}': {model.Split(':')[0]} models take no activation", ex.Message);
        Assert.Contains("--activation applies to mlp: and cnn:", ex.Message);
        Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(model).WithActivation(ActivationSpec.Parse(activation)));
    }

    [Theory]
    [InlineData("mlp:0", "width 0 is not in [1, 65536]")]
    [InlineData("mlp:65537", "width 65537 is not in [1, 65536]")]
    [InlineData("mlp:8,-1", "width '-1' is not an integer")]
    [InlineData("mlp:8@3", "@G (grid size) applies to KAN kinds only")]
    [InlineData("kan:8@1001", "grid size 1001 is not in [1, 1000]")]
    [InlineData("kan:8@x", "grid size 'x' is not an integer")]
    [InlineData("mlpp:8", "unknown model kind 'mlpp'; did you mean mlp")]
    [InlineData("transformer:8", "kinds: mlp:W1,W2")]
    public void MalformedSpecsAreNamed(string model, string expected)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(model));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("--model '", ex.Message);
    }

    [Fact]
    public void AtMost64Layers()
    {
        Assert.Equal(64, ModelSpec.Parse("mlp:" + string.Join(",", Enumerable.Repeat(2, 64))).Widths.Count);
        Assert.Contains("65 widths; at most 64 layers", Assert.Throws<InvalidInputException>(() => ModelSpec.Parse("mlp:" + string.Join(",", Enumerable.Repeat(2, 65)))).Message);
    }

    [Fact]
    public void BadActivationsNameTheOption() =>
        Assert.StartsWith("--activation: unknown activation 'gelx'", Assert.Throws<InvalidInputException>(() => ModelSpec.Parse("mlp:8", "gelx")).Message);

    [Fact]
    public void BuildGivesEveryHiddenLayerItsOwnUnitSizedByItsWidth()
    {
        var net = (Sequential)ModelSpec.Parse("mlp:5,3", "snake").Build(4, 2, new Rng(0));
        var snakes = net.NamedChildren().Select(c => c.Module).OfType<Nonlinear.Layers.Learnable.Snake>().ToList();
        Assert.Equal([5, 3], snakes.Select(s => s.Channels));
    }

    [Fact]
    public void LinearModelHasNoActivation()
    {
        var net = (Sequential)ModelSpec.Parse("mlp:", "prelu").Build(4, 2, new Rng(0));
        Assert.Equal(4 * 2 + 2, net.ParameterCount);
    }
}
