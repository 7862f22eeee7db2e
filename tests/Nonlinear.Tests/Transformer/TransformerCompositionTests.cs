using Nonlinear.Activations;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>
/// Each fused op equals its composition from primitive ops (the specification) in value and gradient. Both run in
/// float with different summation orders, so they agree to a few float ulps of the values' scale: bound 2e-6·(1 + |ref|)
/// for values and 2e-6·(1 + max|g|) for gradients — a missing term, wrong mask or index is off by O(1).
/// </summary>
public class TransformerCompositionTests
{
    private const double Tol = 2e-6;

    private static Tensor Random(Rng rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = 4f * rng.NextFloat() - 2f;
        return t;
    }

    private static void Agree(Func<Tensor[], Tensor> fused, Func<Tensor[], Tensor> composed, params int[][] shapes)
    {
        var rng = new Rng(7);
        var inputs = shapes.Select(s => Random(rng, s)).ToArray();
        (float[] Y, float[][] G) Run(Func<Tensor[], Tensor> f)
        {
            var xs = inputs.Select(t => Tensor.FromArray(t.ToArray(), t.Shape.ToArray()).RequireGrad()).ToArray();
            var y = f(xs);
            var w = new Rng(11);
            var seed = new float[y.Length];
            for (int i = 0; i < seed.Length; i++) seed[i] = 2f * w.NextFloat() - 1f;
            y.Backward(Tensor.FromArray(seed, y.Shape.ToArray()));
            return (y.ToArray(), xs.Select(x => x.Grad!.ToArray()).ToArray());
        }
        var a = Run(fused);
        var b = Run(composed);
        Assert.Equal(b.Y.Length, a.Y.Length);
        for (int i = 0; i < a.Y.Length; i++)
            Assert.True(Math.Abs(a.Y[i] - b.Y[i]) <= Tol * (1 + Math.Abs(b.Y[i])), $"value[{i}]: fused {a.Y[i]:R}, composed {b.Y[i]:R}");
        for (int k = 0; k < a.G.Length; k++)
        {
            double scale = b.G[k].Max(v => Math.Abs(v));
            Assert.True(scale > 0, $"input {k}: the composed gradient is all zero (the test would prove nothing)");
            for (int i = 0; i < a.G[k].Length; i++)
                Assert.True(Math.Abs(a.G[k][i] - b.G[k][i]) <= Tol * (1 + scale), $"grad input {k} [{i}]: fused {a.G[k][i]:R}, composed {b.G[k][i]:R}");
        }
    }

    // softmax(q·kᵀ/√hd + mask)·v per head from Slice, Reshape, Permute, MatMul, Softmax.
    private static Tensor ComposedAttention(Tensor qkv, int heads, bool causal)
    {
        int B = qkv.Size(0), T = qkv.Size(1), D = qkv.Size(2) / 3, hd = D / heads;
        Tensor Head(int part) => Ops.Reshape(Ops.Permute(Ops.Reshape(Ops.Slice(qkv, 2, part * D, D), B, T, heads, hd), 0, 2, 1, 3).Contiguous(), B * heads, T, hd);
        var s = Ops.MulScalar(Ops.MatMul(Head(0), Ops.Transpose(Head(1), -2, -1)), 1f / MathF.Sqrt(hd));
        if (causal)
        {
            var mask = Tensor.Zeros(T, T);
            for (int i = 0; i < T; i++) for (int j = i + 1; j < T; j++) mask[i, j] = float.NegativeInfinity;
            s = Ops.Add(s, mask);
        }
        var o = Ops.MatMul(Ops.Softmax(s), Head(2));
        return Ops.Reshape(Ops.Permute(Ops.Reshape(o, B, heads, T, hd), 0, 2, 1, 3).Contiguous(), B, T, D);
    }

    // T = 70 runs the causal path's three query blocks of 32 (the last one partial) against the full-matrix composition.
    [Theory]
    [InlineData(true, 9)]
    [InlineData(false, 9)]
    [InlineData(true, 70)]
    [InlineData(false, 70)]
    public void AttentionEqualsItsComposition(bool causal, int time) =>
        Agree(x => AttentionOp.SelfAttention(x[0], 4, causal, null, 0f, null, out _), x => ComposedAttention(x[0], 4, causal), [2, time, 3 * 16]);

    [Fact]
    public void RmsNormEqualsItsComposition() =>
        Agree(x => RmsNorm.Apply(x[0], x[1], 1e-5f),
              x => Ops.Mul(Ops.Mul(x[0], Ops.Pow(Ops.AddScalar(Ops.Mean(Ops.Mul(x[0], x[0]), -1, keepDim: true), 1e-5f), -0.5f)), x[1]),
              [5, 12], [12]);

    [Fact]
    public void RopeEqualsItsComposition()
    {
        const int B = 2, T = 6, H = 2, D = 8, hd = D / H;
        // y = x⊙C + (x·R)⊙S: R maps each pair (a, b) of q and k to (−b, a); v columns have C = 1, S = 0.
        var c = Tensor.Ones(T, 3 * D);
        var s = Tensor.Zeros(T, 3 * D);
        var r = Tensor.Zeros(3 * D, 3 * D);
        for (int t = 0; t < T; t++)
            for (int col = 0; col < 2 * D; col++)
            {
                double angle = t * Math.Pow(10000, -2.0 * ((col % hd) / 2) / hd);
                c[t, col] = (float)Math.Cos(angle);
                s[t, col] = (float)Math.Sin(angle);
            }
        for (int col = 0; col < 2 * D; col += 2) { r[col + 1, col] = -1f; r[col, col + 1] = 1f; }
        Agree(x => RotaryEmbedding.Apply(x[0], H), x => Ops.Add(Ops.Mul(x[0], c), Ops.Mul(Ops.MatMul(x[0], r), s)), [B, T, 3 * D]);
    }

    [Theory]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData("sigmoid")]
    [InlineData(null)]
    public void GatedProductEqualsItsComposition(string? gate)
    {
        var act = gate is null ? null : ActivationCatalog.Get(gate).Create();
        Agree(x => GateOp.GatedProduct(x[0], act),
              x => { var a = Ops.Slice(x[0], -1, 0, 6); return Ops.Mul(act is null ? a : act.Apply(a), Ops.Slice(x[0], -1, 6, 6)); },
              [4, 3, 12]);
    }

    [Fact]
    public void EmbeddingEqualsIndexSelect()
    {
        int[] ids = [2, 2, 0, 4, 1, 2];
        Agree(x => Embedding.Lookup(x[0], ids, [3, 2]), x => Ops.Reshape(Ops.IndexSelect(x[0], 0, ids), 3, 2, 5), [6, 5]);
    }
}
