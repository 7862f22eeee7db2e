using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

public class ModuleTests
{
    private static Sequential Mlp(ulong seed) => new(new Linear(4, 8, new Rng(seed)), new ActivationLayer("relu"), new Linear(8, 3, new Rng(seed + 1)));

    [Fact]
    public void SequentialNamesParametersInRegistrationOrder()
    {
        var net = Mlp(1);
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, net.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { 8 * 4, 8, 3 * 8, 3 }, net.Parameters().Select(p => p.Length));
        Assert.Equal(32 + 8 + 24 + 3, net.ParameterCount);
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    private sealed class Block : Module
    {
        public Block()
        {
            RegisterParameter("scale", Tensor.Ones(2));
            RegisterModule("layers", new Sequential(new LayerNorm(2), new BatchNorm1d(2)));
        }
        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void NestedNamesAreDottedAndBuffersAreInStateDict()
    {
        var b = new Block();
        Assert.Equal(new[] { "scale", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias" }, b.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { "layers.1.running_mean", "layers.1.running_var", "layers.1.num_batches_tracked" }, b.NamedBuffers().Select(p => p.Name));
        Assert.Equal(new[] { "scale", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.1.running_mean", "layers.1.running_var", "layers.1.num_batches_tracked" },
            b.StateDict().Keys);
    }

    [Fact]
    public void RegistrationRejectsDuplicateAndDottedNames()
    {
        Assert.Throws<ArgumentException>(() => new DuplicateNames());
        Assert.Throws<ArgumentException>(() => new DottedName());
    }

    private sealed class DuplicateNames : Module
    {
        public DuplicateNames() { RegisterParameter("w", Tensor.Ones(1)); RegisterBuffer("w", Tensor.Ones(1)); }
        public override Tensor Forward(Tensor x) => x;
    }

    private sealed class DottedName : Module
    {
        public DottedName() => RegisterParameter("a.b", Tensor.Ones(1));
        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void StateDictRoundTripReproducesOutputs()
    {
        var a = Mlp(1);
        var b = Mlp(7);
        var x = Tensor.Randn(new Rng(3), [5, 4]);
        Assert.NotEqual(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        var copy = new Dictionary<string, Tensor>();
        foreach (var (k, v) in a.StateDict()) copy[k] = Tensor.FromArray(v.ToArray(), v.Shape.ToArray());
        b.LoadStateDict(copy);
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        // Loading copies values: the loaded module keeps its own tensors.
        Assert.NotSame(a.NamedParameters().First().Tensor, b.NamedParameters().First().Tensor);
    }

    [Fact]
    public void LoadStateDictReportsShapeMissingAndUnexpectedKeys()
    {
        var net = Mlp(1);
        var state = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["2.weight"] = Tensor.Zeros(3, 7);
        var ex = Assert.Throws<InvalidInputException>(() => net.LoadStateDict(state));
        Assert.Contains("'2.weight'", ex.Message);
        Assert.Contains("[3, 7]", ex.Message);
        Assert.Contains("[3, 8]", ex.Message);

        state = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state.Remove("0.bias");
        state["0.gamma"] = Tensor.Zeros(8);
        ex = Assert.Throws<InvalidInputException>(() => net.LoadStateDict(state));
        Assert.Contains("missing keys [0.bias]", ex.Message);
        Assert.Contains("unexpected keys [0.gamma]", ex.Message);
    }

    [Fact]
    public void TrainAndEvalPropagateToEveryDescendant()
    {
        var b = new Block();
        var all = new List<Module> { b };
        for (int i = 0; i < all.Count; i++) all.AddRange(all[i].NamedChildren().Select(c => c.Module));
        Assert.Equal(4, all.Count); // Block, Sequential, LayerNorm, BatchNorm1d
        Assert.All(all, m => Assert.True(m.IsTraining));
        b.Eval();
        Assert.All(all, m => Assert.False(m.IsTraining));
        b.Train();
        Assert.All(all, m => Assert.True(m.IsTraining));
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        var net = Mlp(1);
        var y = net.Forward(Tensor.Randn(new Rng(2), [2, 4]));
        y.Backward(Tensor.Ones(2, 3));
        Assert.All(net.Parameters(), p => Assert.NotNull(p.Grad));
        var buffers = net.Parameters().Select(p => p.Grad!).ToList();
        net.ZeroGrad();
        // In place (torch 1.13's default): the same buffers, all zeros, so the next backward reuses them.
        Assert.Equal(buffers, net.Parameters().Select(p => p.Grad!));
        Assert.All(buffers, g => Assert.All(g.ToArray(), v => Assert.Equal(0f, v)));
        net.ZeroGrad(setToNone: true);
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void BackwardAfterInPlaceZeroGradEqualsFreshBackward()
    {
        var net = Mlp(1);
        var x = Tensor.Randn(new Rng(3), [5, 4]);
        net.Forward(x).Backward(Tensor.Ones(5, 3));
        var fresh = net.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        net.ZeroGrad();
        net.Forward(x).Backward(Tensor.Ones(5, 3));
        Assert.Equal(fresh, net.Parameters().Select(p => p.Grad!.ToArray()));
    }

    [Fact]
    public void BatchNormUpdatesRunningStatsOnlyInTrainingAndUsesThemInEval()
    {
        var bn = new BatchNorm1d(1, momentum: 0.5f);
        var x = Tensor.FromArray([1f, 3f], 2, 1);
        var y = bn.Forward(x);
        // Batch mean 2, biased var 1 (normalisation), unbiased var 2 (running): rm = 0.5·0 + 0.5·2, rv = 0.5·1 + 0.5·2.
        Assert.Equal(1f, bn.RunningMean.ToArray()[0]);
        Assert.Equal(1.5f, bn.RunningVar.ToArray()[0]);
        Assert.Equal(-1f, y.ToArray()[0], 4);
        bn.Eval();
        var ye = bn.Forward(x);
        Assert.Equal(1f, bn.RunningMean.ToArray()[0]);
        Assert.Equal(1.5f, bn.RunningVar.ToArray()[0]);
        Assert.Equal((float)(2 / Math.Sqrt(1.5 + 1e-5)), ye.ToArray()[1], 6);
        bn.Train();
        Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Ones(1, 1)));
    }

    [Fact]
    public void LinearDefaultInitIsWithinOneOverSqrtFanIn()
    {
        var lin = new Linear(50, 40, new Rng(4));
        float bound = 1 / MathF.Sqrt(50);
        Assert.All(lin.Weight.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.All(lin.Bias!.ToArray(), v => Assert.InRange(v, -bound, bound));
        // 2000 uniform draws reach within 2% of the bound on both sides unless the range is wrong (P(miss) ≈ e^-40).
        Assert.True(lin.Weight.ToArray().Max() > 0.98f * bound && lin.Weight.ToArray().Min() < -0.98f * bound);
    }

    [Fact]
    public void LinearAcceptsBatchedHigherRankInputAndFlattenReshapes()
    {
        var lin = new Linear(3, 2, new Rng(1));
        var x = Tensor.Randn(new Rng(2), [2, 4, 3]);
        var y = lin.Forward(x);
        Assert.Equal(new[] { 2, 4, 2 }, y.Shape.ToArray());
        var flat = lin.Forward(Ops.Reshape(x, 8, 3));
        Assert.Equal(flat.ToArray(), y.ToArray());
        Assert.Equal(new[] { 2, 8 }, new Flatten().Forward(y).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => lin.Forward(Tensor.Zeros(2, 4)));
    }

    [Fact]
    public void LayerNormWithoutAffineHasNoParametersAndNormalisesRows()
    {
        var ln = new LayerNorm(4, elementwiseAffine: false);
        Assert.Empty(ln.NamedParameters());
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 10f, 10f, 10f, 10f], 2, 4).RequireGrad();
        var y = ln.Forward(x).ToArray();
        // Row 1: mean 2.5, biased var 1.25; row 2 is constant, so it maps to 0 (ε keeps r finite).
        double r = 1 / Math.Sqrt(1.25 + 1e-5);
        for (int i = 0; i < 4; i++) Assert.Equal((i + 1 - 2.5) * r, y[i], 1e-6);
        Assert.All(y[4..], v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => ln.Forward(Tensor.Zeros(2, 3)));
    }
}
