using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Training;

/// <summary>
/// DeadUnits on a hand-built layer whose units are, by construction: always negative pre-activation, always positive,
/// sign-changing, and huge positive. Inputs x ∈ [0.5, 1.5] (one feature); unit k computes w_k·x + b_k.
/// </summary>
public class DeadUnitsTests
{
    private static readonly float[] W = [-1f, 1f, 2f, 30f];
    private static readonly float[] B = [-0.1f, 0f, -2f, 0f];

    private static (Sequential Model, Dataset Data) Build(string activation)
    {
        var lin = new Linear(1, 4, new Rng(0));
        W.CopyTo(lin.Weight.AsSpan());
        B.CopyTo(lin.Bias!.AsSpan());
        var model = new Sequential(lin, new ActivationLayer(ActivationCatalog.Parse(activation)), new Linear(4, 2, new Rng(1)));
        var xs = Enumerable.Range(0, 101).Select(i => 0.5f + i / 100f).ToArray();
        return (model, Dataset.Classification(xs, xs.Select(x => x > 1 ? 1 : 0).ToArray(), 1));
    }

    [Theory]
    [InlineData("relu", 0.25)]          // unit 0 is ≤ 0 everywhere → 0; units 1..3 vary
    [InlineData("leaky_relu", 0.0)]     // the negative side still varies: nobody is dead
    [InlineData("sigmoid", 0.25)]       // on x ≥ 1 (below): unit 3 is sigmoid(30 … 45), which rounds to 1 in float
    [InlineData("hardtanh", 0.25)]      // unit 3 is clipped at 1 everywhere (30·x ≥ 15); unit 0 ∈ [−1.6, −0.6] clips partly, varies
    public void CountsUnitsConstantOverTheData(string activation, double expected)
    {
        var (model, data) = Build(activation);
        if (activation == "sigmoid")
        {
            // From x = 0.5 unit 3 still varies (sigmoid(15) = 1 − 3e-7 is a float below 1): keep x ≥ 1, where it is saturated.
            var rows = Enumerable.Range(0, data.Count).Where(i => data.Row(i)[0] >= 1f).ToArray();
            data = data.Subset(rows);
        }
        Assert.Equal(expected, DeadUnits.Fraction(model, data));
        Assert.True(model.IsTraining);   // mode restored
    }

    // A learnable unit counts like a catalog activation: PReLU starts at slope 0.25, so nothing is constant.
    [Fact]
    public void LearnableActivationModulesAreCounted()
    {
        var (_, data) = Build("relu");
        var lin = new Linear(1, 4, new Rng(0));
        W.CopyTo(lin.Weight.AsSpan());
        B.CopyTo(lin.Bias!.AsSpan());
        var model = new Sequential(lin, ActivationSpec.Parse("prelu").CreateModule(4, new Rng(0)), new Linear(4, 2, new Rng(1)));
        Assert.Equal(0.0, DeadUnits.Fraction(model, data));
    }

    [Fact]
    public void ModelsWithoutActivationLayersHaveNoValue()
    {
        var (_, data) = Build("relu");
        Assert.Null(DeadUnits.Fraction(new Sequential(new Linear(1, 2, new Rng(0))), data));
        Assert.Null(DeadUnits.Fraction(new Linear(1, 2, new Rng(0)), data));
    }
}
