using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Losses;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Models;

/// <summary>
/// Every model kind × {a fixed activation, every learnable unit}: the unit's parameters are in the model (the parameter
/// count exceeds the identity model's by exactly the unit's), one training step changes them, or the kind refuses the
/// activation in one line. This is the test that would have caught `cnn:4 --activation prelu` training with no activation.
/// </summary>
public class ModelActivationMatrixTests
{
    // 8×8 images so that cnn applies; two hidden layers of different widths so per-channel counts are visible.
    private const int Inputs = 64, Outputs = 3;
    private static readonly int[] Hidden = [4, 3];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        // gpt models are sequence models built by `lm` from text (their spec is "LxW", their MLP --mlp): Transformer/GptKindTests.
        foreach (var kind in ModelKinds.All.Where(k => k is not GptKind))
        {
            data.Add(kind.Name, "gelu");
            foreach (var unit in LearnableUnits.All) data.Add(kind.Name, unit.Name);
        }
        return data;
    }

    /// <summary>Parameters one unit adds to a layer of width w with default arguments, written out from each paper's layout.</summary>
    private static int UnitParameters(string activation, int w) => activation switch
    {
        "gelu" => 0,
        "prelu" => 1,          // one shared slope (torch.nn.PReLU default num_parameters=1)
        "apa" or "sau" => 2,   // κ, λ / α, σ per layer
        "pau" => 6 + 4,        // numerator a_0..a_5, denominator b_1..b_4
        "snake" => w,          // one frequency per channel
        "snake_beta" => 2 * w, // a and β per channel
        _ => throw new ArgumentException($"no expected parameter count for {activation}; add it here.", nameof(activation)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryKindTakesEveryActivationOrRefusesInOneLine(string kind, string activation)
    {
        string model = $"{kind}:{string.Join(",", Hidden)}";
        if (ModelKinds.Get(kind).DefaultActivation is null)
        {
            var ex = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(model, activation));
            Assert.DoesNotContain('\n', ex.Message);
            Assert.Contains($"--activation '{activation}': {kind} models take no activation", ex.Message);
            Assert.Equal(Outputs, ModelSpec.Parse(model).Build(Inputs, Outputs, new Rng(1)).Forward(Tensor.Zeros(2, Inputs)).Size(1));
            return;
        }
        var identity = ModelSpec.Parse(model, "identity").Build(Inputs, Outputs, new Rng(1));
        var net = ModelSpec.Parse(model, activation).Build(Inputs, Outputs, new Rng(1));
        Assert.Equal(identity.ParameterCount + Hidden.Sum(w => UnitParameters(activation, w)), net.ParameterCount);

        var identityNames = identity.NamedParameters().Select(p => p.Name).ToHashSet();
        var unitParameters = net.NamedParameters().Where(p => !identityNames.Contains(p.Name)).ToList();
        Assert.Equal(Hidden.Sum(w => UnitParameters(activation, w)), unitParameters.Sum(p => p.Tensor.Length));
        var before = unitParameters.Select(p => p.Tensor.ToArray()).ToList();

        var rng = new Rng(3);
        var x = Tensor.FromArray(Enumerable.Range(0, 8 * Inputs).Select(_ => 2 * rng.NextFloat() - 1).ToArray(), 8, Inputs);
        var sgd = new Sgd(net.Parameters(), 0.1);
        Loss.CrossEntropy(net.Forward(x), [0, 1, 2, 0, 1, 2, 0, 1]).Backward();
        sgd.Step();
        for (int i = 0; i < unitParameters.Count; i++)
            Assert.True(!before[i].SequenceEqual(unitParameters[i].Tensor.ToArray()), $"{model} {activation}: {unitParameters[i].Name} did not change in a training step");
    }
}
