using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;
using Nonlinear.Models;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>Learnable units by spec (<see cref="ActivationSpec"/>), inside models built by <see cref="ModelSpec"/>, and through checkpoints.</summary>
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
        var m = ActivationSpec.Parse(spec).CreateModule(8, new Rng(0));
        Assert.IsType(type, m);
        Assert.Equal(channels, ((dynamic)m).Channels);
    }

    [Fact]
    public void ArgumentsReachTheModule()
    {
        static Module Make(string spec, int width, Action<string>? warn = null) => ActivationSpec.Parse(spec).CreateModule(width, new Rng(0), warn);
        var pau = (Rational)Make("pau(3, 2, form=abssum, init=tanh)", 4);
        Assert.Equal((3, 2, RationalForm.AbsSum), (pau.M, pau.N, pau.Form));
        Assert.Equal([4], pau.Numerator.Shape.ToArray());
        var sau = (Sau)Make("sau(alpha=0.2, sigma=0.5)", 4);
        Assert.Equal(0.2f, sau.Alpha.AsSpan()[0]);
        Assert.Equal(0.5f, sau.Sigma.AsSpan()[0]);
        var prelu = (PRelu)Make("prelu(0.1, per_channel=true)", 6);
        Assert.Equal(Enumerable.Repeat(0.1f, 6), prelu.Weight.ToArray());
        Assert.Equal(0.3f, ((PRelu)Make("prelu(init=0.3)", 6)).Weight.AsSpan()[0]);
        string? warning = null;
        Make("pau(init=gelu, fit=wide)", 4, w => warning = w);
        Assert.Contains("fit to gelu", warning);
    }

    [Fact]
    public void CatalogNamesStillWorkAndUnknownNamesSuggest()
    {
        var model = ModelSpec.Parse("mlp:8", "elu(alpha=0.5)").Build(4, 3, new Rng(1));
        Assert.IsType<ActivationLayer>(((Sequential)model).NamedChildren().ElementAt(1).Module);
        Assert.Contains("did you mean gelu", Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse("gelx")).Message);
        Assert.Contains("did you mean snake_beta", Assert.Throws<InvalidInputException>(() => ActivationSpec.Parse("snake_bet")).Message);
    }

    /// <summary>Learnable units draw no random numbers, so the Linear weights equal a catalog model's with the same seed.</summary>
    [Fact]
    public void LearnableUnitsLeaveLinearInitUnchanged()
    {
        var a = ModelSpec.Parse("mlp:8,8", "relu").Build(4, 3, new Rng(5)).StateDict();
        var b = ModelSpec.Parse("mlp:8,8", "prelu(per_channel=true)").Build(4, 3, new Rng(5)).StateDict();
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
        var model = ModelSpec.Parse("mlp:6", spec).Build(4, 3, new Rng(2));
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
            var fresh = ModelSpec.Parse("mlp:6", spec).Build(4, 3, new Rng(3));
            fresh.LoadStateDict(SafeTensors.Load(path).Tensors);
            foreach (var (k, v) in model.StateDict()) Assert.Equal(v.ToArray(), fresh.StateDict()[k].ToArray());
            var x = Tensor.FromArray([0.5f, -1f, 2f, -0.25f, 1f, 1f, -2f, 0.1f], 2, 4);
            Assert.Equal(model.Forward(x).ToArray(), fresh.Forward(x).ToArray());
        }
        finally { File.Delete(path); }
    }
}
