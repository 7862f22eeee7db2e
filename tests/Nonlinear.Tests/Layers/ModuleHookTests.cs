using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>Forward pre-hooks, forward hooks and backward hooks: order, removal, replacement, dotted names, values.</summary>
public sealed class ModuleHookTests
{
    // y = x·Wᵀ + b with W = [[1, 2], [3, 4], [5, 6]], b = [0.5, −1, 2].
    private static Linear Fixed()
    {
        var l = new Linear(2, 3, new Rng(1));
        l.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }),
            ["bias"] = Tensor.From(0.5f, -1f, 2f),
        });
        return l;
    }

    [Fact]
    public void HooksRunInTorchsOrderThroughContainers()
    {
        var a = Fixed();
        var model = new Sequential(a, new Sequential(new Flatten()));
        var log = new List<string>();
        model.RegisterForwardPreHook((m, x) => { log.Add("root pre"); return null; });
        model.RegisterForwardHook((m, x, y) => { log.Add("root post"); return null; });
        model.RegisterForwardPreHook("0", (m, x) => { log.Add("0 pre A"); return null; });
        model.RegisterForwardPreHook("0", (m, x) => { log.Add("0 pre B"); return null; });
        model.Hook("0", (m, x, y) => { log.Add("0 post"); return null; });
        model.Hook("1.0", (m, x, y) => { log.Add("1.0 post"); return null; });
        model.Call(Tensor.Ones(1, 2));
        Assert.Equal(["root pre", "0 pre A", "0 pre B", "0 post", "1.0 post", "root post"], log);
    }

    [Fact]
    public void HooksReplaceInputAndOutputAndDisposeRemovesThem()
    {
        var layer = Fixed();
        var x = Tensor.From(new float[,] { { 1, 1 } });
        float[] plain = layer.Call(x).ToArray();
        Assert.Equal([3.5f, 6f, 13f], plain);
        var pre = layer.RegisterForwardPreHook((m, input) => input * 2f);        // x → 2x
        var post = layer.RegisterForwardHook((m, input, y) =>
        {
            Assert.Equal([2f, 2f], input.ToArray());                              // the hook sees the replaced input
            return y + 1f;
        });
        Assert.Equal([7.5f, 14f, 25f], layer.Call(x).ToArray());                 // W·2x + b + 1
        Assert.Equal(plain, layer.Forward(x).ToArray());                          // Forward alone runs no hooks
        post.Dispose();
        Assert.Equal([6.5f, 13f, 24f], layer.Call(x).ToArray());
        pre.Dispose();
        pre.Dispose();   // twice is harmless
        Assert.Equal(plain, layer.Call(x).ToArray());
    }

    [Fact]
    public void BackwardHookSeesHandComputedGradients()
    {
        var layer = Fixed();
        var model = new Sequential(layer);
        Tensor? seenIn = null, seenOut = null;
        using var h = model.RegisterBackwardHook("0", (m, gIn, gOut) => { Assert.Same(layer, m); seenIn = gIn; seenOut = gOut; return null; });
        var x = Tensor.From(new float[,] { { 1, -1 }, { 0.5f, 2 } }).RequireGrad();
        var c = Tensor.From(new float[,] { { 1, 0, -1 }, { 2, 1, 0 } });
        (model.Call(x) * c).Sum().Backward();
        // L = Σ c ⊙ (x·Wᵀ + b): ∂L/∂y = c, ∂L/∂x = c·W = [[1−5, 2−6], [2+3, 4+4]].
        Assert.Equal(c.ToArray(), seenOut!.ToArray());
        Assert.Equal([-4f, -4f, 5f, 8f], seenIn!.ToArray());
        Assert.Equal([-4f, -4f, 5f, 8f], x.Grad!.ToArray());
    }

    [Fact]
    public void BackwardHookWithoutInputGradientAndReplacement()
    {
        var layer = Fixed();
        Tensor? seenOut = null;
        bool called = false;
        using (layer.RegisterBackwardHook((m, gIn, gOut) => { called = true; Assert.Null(gIn); seenOut = gOut; return null; }))
            (layer.Call(Tensor.Ones(1, 2)) * 3f).Sum().Backward();
        Assert.True(called);
        Assert.Equal([3f, 3f, 3f], seenOut!.ToArray());
        Assert.Equal([3f, 3f, 3f], layer.Bias!.Grad!.ToArray());

        var x = Tensor.Ones(1, 2).RequireGrad();
        using (layer.RegisterBackwardHook((m, gIn, gOut) => gIn! * 0.5f))
            layer.Call(x).Sum().Backward();
        Assert.Equal([4.5f, 6f], x.Grad!.ToArray());   // (1+3+5, 2+4+6) halved
    }

    [Fact]
    public void UnknownHookNameListsCloseNames()
    {
        var model = new Sequential(Fixed(), new Sequential(Fixed(), Fixed()));
        var e = Assert.Throws<InvalidInputException>(() => model.Hook("1.2", (m, x, y) => null));
        Assert.Contains("no sub-module '1.2' in Sequential; closest names: 1.0, 1.1", e.Message);
    }

    [Fact]
    public void ContainersGoThroughCall()
    {
        // Every container in the library must call children through Call, or their hooks silently do nothing.
        var rng = new Rng(5);
        var kan = new Nonlinear.Kan.KanNetwork([2, 3, 1], null, rng);
        int fired = 0;
        var layers = kan.NamedModules().Where(n => n.Name.StartsWith("layers.", StringComparison.Ordinal)).ToArray();
        Assert.True(layers.Length >= 2);
        foreach (var (name, _) in layers) kan.Hook(name, (m, x, y) => { fired++; return null; });
        kan.Call(Tensor.Ones(2, 2));
        Assert.Equal(layers.Length, fired);
    }
}
