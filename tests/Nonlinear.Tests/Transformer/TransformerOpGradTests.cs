using Nonlinear.Activations;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>
/// Forward values against double references and hand-written backwards against central finite differences in
/// double (<see cref="GradCheck"/>): attention (causal, padded, full), RMSNorm, RoPE, the gated products, embedding.
/// </summary>
public class TransformerOpGradTests
{
    // Attention outputs are convex combinations of v (|v| < 2) computed through a softmax of O(hd) scores: the float
    // error is a few ulps of max|v|, so the bound's magnitude is that constant rather than |y| (which can be ~0).
    private static RefTensor Const(RefTensor like, double v) => new(Enumerable.Repeat(v, like.Length).ToArray(), like.S);

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void AttentionMatchesReferenceAndFiniteDifferences(bool causal, bool padded)
    {
        const int B = 2, T = 5, H = 2, D = 8;
        bool[]? pad = padded ? [false, false, true, false, true, true, false, false, false, true] : null;
        GradCheck.Run(new GradCase
        {
            Shapes = [[B, T, 3 * D]],
            Op = x => AttentionOp.SelfAttention(x[0], H, causal, pad, 0f, null, out _),
            Reference = r => TransformerReference.Attention(r[0], H, causal, pad),
            ForwardUlps = 32,
            Magnitude = (_, r) => Const(r, 2),
        });
    }

    [Fact]
    public void RmsNormMatchesReferenceAndFiniteDifferences()
    {
        GradCheck.Run(new GradCase
        {
            Shapes = [[4, 6], [6]],
            Op = x => RmsNorm.Apply(x[0], x[1], 1e-5f),
            Reference = r => TransformerReference.RmsNorm(r[0], r[1], 1e-5),
            ForwardUlps = 16,
            Magnitude = (_, r) => Const(r, 4),
        });
    }

    [Fact]
    public void RopeMatchesReferenceAndFiniteDifferences()
    {
        GradCheck.Run(new GradCase
        {
            Shapes = [[2, 7, 3 * 8]],
            Op = x => RotaryEmbedding.Apply(x[0], 2),
            Reference = r => TransformerReference.Rope(r[0], 2),
            ForwardUlps = 8,
            Magnitude = (_, r) => Const(r, 2),
        });
    }

    [Theory]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData("sigmoid")]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData(null)]
    public void GatedProductMatchesReferenceAndFiniteDifferences(string? gate)
    {
        var act = gate is null ? null : ActivationCatalog.Get(gate).Create();
        GradCheck.Run(new GradCase
        {
            Shapes = [[3, 2, 10]],
            Op = x => GateOp.GatedProduct(x[0], act),
            Reference = r => TransformerReference.Gate(r[0], act is null ? v => v : act.Reference),
            ForwardUlps = 16,
            Magnitude = (_, r) => Const(r, 4),
            // ReLU's kink at 0: keep samples away from it so the finite difference is a derivative.
            Sample = GradCheck.AwayFromZero(0.05f, 2f),
        });
    }

    [Fact]
    public void EmbeddingMatchesReferenceAndFiniteDifferences()
    {
        int[] ids = [3, 0, 3, 5, 1, 3];
        GradCheck.Run(new GradCase
        {
            Shapes = [[7, 4]],
            Op = x => Embedding.Lookup(x[0], ids, [2, 3]),
            Reference = r => { var y = TransformerReference.Embedding(r[0], ids); return new RefTensor(y.D, [2, 3, 4]); },
            ForwardUlps = 0,
        });
    }
}
