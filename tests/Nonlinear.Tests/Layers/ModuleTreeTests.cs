using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>NamedModules, Apply, GetSubmodule and Freeze/Unfreeze over a nested tree.</summary>
public sealed class ModuleTreeTests
{
    private static Sequential Tree(out Linear inner)
    {
        var rng = new Rng(3);
        inner = new Linear(3, 3, rng);
        return new Sequential(new Sequential(new Linear(2, 3, rng), inner), new Linear(3, 1, rng));
    }

    [Fact]
    public void NamedModulesWalksDepthFirstWithDottedNames()
    {
        var model = Tree(out var inner);
        var names = model.NamedModules().Select(m => m.Name).ToArray();
        Assert.Equal(["", "0", "0.0", "0.1", "1"], names);
        Assert.Same(inner, model.NamedModules().Single(m => m.Name == "0.1").Module);
        Assert.Same(inner, model.GetSubmodule("0.1"));
        Assert.Same(model, model.GetSubmodule(""));
    }

    [Fact]
    public void ApplyVisitsChildrenBeforeParents()
    {
        var model = Tree(out _);
        var order = new List<string>();
        var names = model.NamedModules().ToDictionary(m => m.Module, m => m.Name);   // Module does not override Equals: reference keys
        Assert.Same(model, model.Apply(m => order.Add(names[m])));
        Assert.Equal(["0.0", "0.1", "0", "1", ""], order);
    }

    [Fact]
    public void UnknownNameListsTheClosestNames()
    {
        var model = Tree(out _);
        var e = Assert.Throws<InvalidInputException>(() => model.GetSubmodule("0.5"));
        Assert.Equal("no sub-module '0.5' in Sequential; closest names: 0.0, 0.1, 0, 1. (Parameter 'name')", e.Message);
    }

    [Fact]
    public void FreezeByPrefixStopsGradientsThereOnly()
    {
        var model = Tree(out _);
        model.Freeze("0.1");
        Assert.Equal(["0.1.weight", "0.1.bias"], model.NamedParameters().Where(p => !p.Tensor.RequiresGrad).Select(p => p.Name).ToArray());
        var x = Tensor.Ones(4, 2);
        model.Call(x).Sum().Backward();
        foreach (var p in model.NamedParameters())
            Assert.Equal(p.Name.StartsWith("0.1.", StringComparison.Ordinal), p.Tensor.Grad is null);
        model.Unfreeze();
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
        model.Freeze();
        Assert.All(model.Parameters(), p => Assert.False(p.RequiresGrad));
        var e = Assert.Throws<InvalidInputException>(() => model.Freeze("0.2"));
        Assert.Contains("no parameter of Sequential lies under '0.2'; closest names: 0.0.bias, 0.1.bias, 0.0.weight, 0.1.weight", e.Message);
        model.Unfreeze("0");   // a prefix matches whole segments: "0" covers 0.0 and 0.1, not "1"
        Assert.Equal(["1.weight", "1.bias"], model.NamedParameters().Where(p => !p.Tensor.RequiresGrad).Select(p => p.Name).ToArray());
    }
}
