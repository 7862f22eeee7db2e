using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>Learnable units by name, inside models built by <see cref="ModelSpec"/>, and through checkpoints.</summary>
public class LearnableFactoryTests
{
    [Theory]
    [InlineData("prelu", typeof(PRelu), 1)]
    [InlineData("prelu(per_channel=true)", typeof(PRelu), 8)]
    [InlineData("apa", typeof(Apa), 1)]
    [InlineData("sau(alpha=0.2, sigma=0.5)", typeof(Sau), 1)]
    [InlineData("pau", typeof(Rational), 1)]
    [InlineData("rational(3, 2, form=abssum, init=tanh)", typeof(Rational), 1)]
    public void NamesBuildTheirModules(string spec, Type type, int channels)
    {
        var m = LearnableActivations.Create(spec, 8);
        Assert.IsType(type, m);
        Assert.Equal(channels, ((dynamic)m).Channels);
    }

    [Fact]
    public void ArgumentsReachTheModule()
    {
        var pau = (Rational)LearnableActivations.Create("pau(3, 2, form=abssum, init=tanh)", 4);
        Assert.Equal((3, 2, RationalForm.AbsSum), (pau.M, pau.N, pau.Form));
        Assert.Equal([4], pau.Numerator.Shape.ToArray());
        var sau = (Sau)LearnableActivations.Create("sau(alpha=0.2, sigma=0.5)", 4);
        Assert.Equal(0.2f, sau.Alpha.AsSpan()[0]);
        Assert.Equal(0.5f, sau.Sigma.AsSpan()[0]);
        var prelu = (PRelu)LearnableActivations.Create("prelu(0.1, per_channel=true)", 6);
        Assert.Equal(Enumerable.Repeat(0.1f, 6), prelu.Weight.ToArray());
        Assert.Equal(0.3f, ((PRelu)LearnableActivations.Create("prelu(a=0.3)", 6)).Weight.AsSpan()[0]);
        string? warning = null;
        LearnableActivations.Create("pau(init=gelu, fit=wide)", 4, w => warning = w);
        Assert.Contains("fit to gelu", warning);
    }

    [Fact]
    public void CatalogNamesStillWorkAndUnknownNamesSuggest()
    {
        var model = ModelSpec.Build("mlp:8", 4, 3, "elu(alpha=0.5)", new Rng(1));
        Assert.IsType<ActivationLayer>(((Sequential)model).NamedChildren().ElementAt(1).Module);
        Assert.Contains("did you mean", Assert.Throws<InvalidInputException>(() => ModelSpec.ValidateActivation("gelx")).Message);
        Assert.Contains("did you mean snake_beta?", Assert.Throws<InvalidInputException>(() => ModelSpec.ValidateActivation("snake_bet")).Message);
    }

    /// <summary>Learnable units draw no random numbers, so the Linear weights equal a catalog model's with the same seed.</summary>
    [Fact]
    public void LearnableUnitsLeaveLinearInitUnchanged()
    {
        var a = ModelSpec.Build("mlp:8,8", 4, 3, "relu", new Rng(5)).StateDict();
        var b = ModelSpec.Build("mlp:8,8", 4, 3, "prelu(per_channel=true)", new Rng(5)).StateDict();
        foreach (var key in a.Keys) Assert.Equal(a[key].ToArray(), b[key].ToArray());
        Assert.Equal(["0.weight", "0.bias", "1.weight", "2.weight", "2.bias", "3.weight", "4.weight", "4.bias"], b.Keys);
    }

    /// <summary>Activation parameters are saved and restored like weights (safetensors), and the restored model computes the same.</summary>
    [Theory]
    [InlineData("prelu(per_channel=true)")]
    [InlineData("pau")]
    [InlineData("apa(per_channel=true)")]
    [InlineData("sau")]
    public void CheckpointsRoundTripActivationParameters(string spec)
    {
        var model = ModelSpec.Build("mlp:6", 4, 3, spec, new Rng(2));
        var rng = new Rng(9);
        foreach (var p in model.Parameters())
        {
            var s = p.AsSpan();
            for (int i = 0; i < s.Length; i++) s[i] *= 1 + 0.3f * rng.NextFloat();
        }
        string path = Path.Combine(Path.GetTempPath(), $"nl-learnable-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(path, model.StateDict());
            var fresh = ModelSpec.Build("mlp:6", 4, 3, spec, new Rng(3));
            fresh.LoadStateDict(SafeTensors.Load(path).Tensors);
            foreach (var (k, v) in model.StateDict()) Assert.Equal(v.ToArray(), fresh.StateDict()[k].ToArray());
            var x = Tensor.FromArray([0.5f, -1f, 2f, -0.25f, 1f, 1f, -2f, 0.1f], 2, 4);
            Assert.Equal(model.Forward(x).ToArray(), fresh.Forward(x).ToArray());
        }
        finally { File.Delete(path); }
    }
}
