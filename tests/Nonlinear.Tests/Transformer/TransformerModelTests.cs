using Nonlinear.Layers.Transformer;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Transformer;

/// <summary>The model-level behaviour: sparse embedding gradients, hook points, causality, weight tying, specs.</summary>
public class TransformerModelTests
{
    private static DecoderTransformer Tiny(MlpSpec? mlp = null, PositionEncoding pos = PositionEncoding.Learned, NormKind norm = NormKind.LayerNorm) =>
        new(new TransformerConfig(11, 2, 16, 4, 8) { Mlp = mlp ?? MlpSpec.Parse("swiglu"), Position = pos, Norm = norm }, new Rng(3));

    [Fact]
    public void EmbeddingGradientTouchesOnlyUsedRowsAndAccumulatesInPlace()
    {
        var emb = new Embedding(10, 3, new Rng(1));
        emb.Lookup([4, 7, 4], 3).Backward(Tensor.Ones(3, 3));
        var grad = emb.Weight.Grad!;
        emb.Lookup([7], 1).Backward(Tensor.Full(0.5f, 1, 3));
        Assert.Same(grad, emb.Weight.Grad);   // added into the existing buffer, no dense temporary
        var g = grad.ToArray();
        for (int row = 0; row < 10; row++)
        {
            float expected = row == 4 ? 2f : row == 7 ? 1.5f : 0f;
            for (int j = 0; j < 3; j++) Assert.Equal(expected, g[row * 3 + j]);
        }
    }

    [Fact]
    public void EmbeddingRejectsIdsOutsideTheVocabulary()
    {
        var emb = new Embedding(5, 2, new Rng(1));
        var e = Assert.Throws<ArgumentException>(() => emb.Lookup([1, 5], 2));
        Assert.Contains("embedding id 5 is outside [0, 5)", e.Message);
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Sinusoidal)]
    [InlineData(PositionEncoding.Rotary)]
    public void LogitsAtAPositionDoNotDependOnLaterTokens(PositionEncoding pos)
    {
        var model = Tiny(pos: pos);
        model.Eval();
        var a = model.Logits([1, 2, 3, 4, 5, 6], 1, 6).ToArray();
        var b = model.Logits([1, 2, 3, 9, 0, 10], 1, 6).ToArray();
        for (int i = 0; i < 3 * 11; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a[3 * 11], b[3 * 11]);
    }

    [Fact]
    public void HookPointsExposeResidualStreamPatternAndMlpActivations()
    {
        var model = Tiny();
        Tensor? pattern = null, resid = null, mlp = null;
        model.Hook("blocks.1.attn.hook_pattern", (_, _, o) => { pattern = o; return o; });
        model.Hook("blocks.0.hook_resid_post", (_, _, o) => { resid = o; return o; });
        model.Hook("blocks.0.mlp.hook_post", (_, _, o) => { mlp = o; return o; });
        model.Logits([1, 2, 3, 4, 5], 1, 5);
        Assert.Equal([1, 4, 5, 5], pattern!.Shape.ToArray());
        Assert.Equal([1, 5, 16], resid!.Shape.ToArray());
        Assert.Equal([1, 5, model.Config.HiddenWidth], mlp!.Shape.ToArray());
        var p = pattern.ToArray();
        for (int h = 0; h < 4; h++)
            for (int i = 0; i < 5; i++)
            {
                double sum = 0;
                for (int j = 0; j < 5; j++)
                {
                    float v = p[(h * 5 + i) * 5 + j];
                    if (j > i) Assert.Equal(0f, v); else Assert.True(v > 0f);
                    sum += v;
                }
                Assert.Equal(1.0, sum, 5);
            }
    }

    [Fact]
    public void TiedHeadSharesTheEmbeddingAndGetsBothGradients()
    {
        var model = Tiny();
        Assert.DoesNotContain(model.NamedParameters(), p => p.Name.StartsWith("head", StringComparison.Ordinal));
        var logits = model.Logits([1, 2, 3], 1, 3);
        Ops.Sum(logits).Backward();
        var g = model.TokenEmbedding.Weight.Grad!.ToArray();
        // Row 7 never appears as input: its gradient comes from the head alone, and it is non-zero.
        Assert.Contains(g.Skip(7 * 16).Take(16), v => v != 0f);
    }

    [Fact]
    public void GatedMlpHiddenFollowsTheLlamaRuleAndPlainIsFourTimesWidth()
    {
        Assert.Equal(344, MlpSpec.Parse("swiglu").DefaultHidden(128));
        Assert.Equal(512, MlpSpec.Parse("gelu").DefaultHidden(128));
    }

    [Theory]
    [InlineData("swiglu", "swiglu", true)]
    [InlineData("GEGLU", "geglu", true)]
    [InlineData("reglu", "reglu", true)]
    [InlineData("glu", "glu", true)]
    [InlineData("glu(silu)", "swiglu", true)]
    [InlineData("glu(elu(alpha=0.5))", "glu(elu(alpha=0.5))", true)]
    [InlineData("glu(pau)", "glu(pau)", true)]
    [InlineData("bilinear", "bilinear", true)]
    [InlineData("relu2", "relu_squared", false)]
    [InlineData("gelu", "gelu", false)]
    public void MlpSpecParsesAndRoundTrips(string text, string canonical, bool gated)
    {
        var spec = MlpSpec.Parse(text);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(gated, spec.IsGated);
        Assert.Equal(spec, MlpSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void UnknownMlpNameIsOneLineWithASuggestion()
    {
        var e = Assert.Throws<InvalidInputException>(() => MlpSpec.Parse("swigelu"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("swiglu", e.Message);
    }

    [Fact]
    public void LearnableGateAndPlainLearnableMlpTrain()
    {
        foreach (var mlp in new[] { "glu(pau)", "prelu" })
        {
            var model = Tiny(MlpSpec.Parse(mlp));
            Assert.Contains(model.NamedParameters(), p => p.Name.StartsWith("blocks.0.mlp.act.", StringComparison.Ordinal));
            Ops.Sum(model.Logits([1, 2, 3], 1, 3)).Backward();
            Assert.All(model.NamedParameters(), p => Assert.True(p.Tensor.Grad is not null, $"{mlp}: {p.Name} has no gradient"));
        }
    }

    [Theory]
    [InlineData("gpt:4x128", "gpt:4x128,heads=4,ctx=128")]
    [InlineData("gpt:2x64,heads=2,ctx=32", "gpt:2x64,heads=2,ctx=32")]
    [InlineData("gpt:1x128,ctx=3,heads=4", "gpt:1x128,heads=4,ctx=3")]
    [InlineData("gpt:4x100", "gpt:4x100,heads=2,ctx=128")]
    public void GptSpecParsesAndRoundTrips(string text, string canonical)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, ModelSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("gpt:4", "'4' is not LAYERSxWIDTH")]
    [InlineData("gpt:4x128,heads=3", "heads=3 does not divide the width 128")]
    [InlineData("gpt:4x128,depth=2", "'depth=2' is unknown or repeated")]
    [InlineData("gpt:4x0", "width 0 is not in [1, 16384]")]
    public void BadGptSpecsAreOneLineErrors(string text, string fragment)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(text));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
