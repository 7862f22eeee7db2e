using Nonlinear.Layers.Transformer;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>
/// The step arena hands the same arrays to the next step's tensors. Reuse must never be observable as changed values:
/// a tensor (or view) made in a closed scope refuses to be read, a backward through a released graph refuses to run,
/// zero-filled tensors are zero again, and training in an arena gives bit for bit the weights training without one gives.
/// </summary>
public class TensorArenaTests
{
    private const int Big = TensorArena.MinLength + 100;   // above the threshold: taken from the arena

    private static Tensor Filled(int n, float start)
    {
        var t = Tensor.Zeros(n);
        var s = t.AsSpan();
        for (int i = 0; i < n; i++) s[i] = start + i;
        return t;
    }

    [Fact]
    public void ATensorFromAClosedScopeAndEveryViewOfItThrowsOnUse()
    {
        var arena = new TensorArena();
        var a = Filled(Big, 1f);
        Tensor y, view;
        using (arena.Enter())
        {
            y = Ops.Add(a, a);
            view = Ops.Reshape(y, 2, Big / 2);
            Assert.Equal(2f, y.AsReadOnlySpan()[0]);
            Assert.Equal(4f, view[0, 1]);
        }
        Assert.Throws<InvalidOperationException>(() => y.AsReadOnlySpan()[0]);
        Assert.Throws<InvalidOperationException>(() => view[0, 1]);
        Assert.Throws<InvalidOperationException>(() => y.Detach().ToArray());
        Assert.Throws<InvalidOperationException>(() => Ops.Add(y, a));
        // The array went back to the arena and serves the next scope's tensor of the same length.
        using (arena.Enter())
        {
            var z = Ops.Mul(a, a);
            Assert.Equal(9f, z.AsReadOnlySpan()[2]);
        }
        Assert.Equal(1, arena.Allocations);
        Assert.Equal(2, arena.Rents);
        Assert.Equal(4L * Big, arena.OwnedBytes);
        // The input made outside any scope is untouched.
        Assert.Equal(3f, a.AsReadOnlySpan()[2]);
    }

    [Fact]
    public void SmallTensorsAndTensorsMadeOutsideAScopeAreOrdinary()
    {
        var arena = new TensorArena();
        var small = Filled(100, 0f);
        Tensor s2, outside;
        using (arena.Enter())
        {
            s2 = Ops.Add(small, small);
            using (TensorArena.Suspend()) outside = Ops.Add(Filled(Big, 0f), Filled(Big, 0f));
        }
        Assert.Equal(198f, s2.AsReadOnlySpan()[99]);
        Assert.Equal(2f * (Big - 1), outside.AsReadOnlySpan()[Big - 1]);
        Assert.Equal(0, arena.Rents);
    }

    [Fact]
    public void ZeroFilledTensorsAreZeroWhenTheirArrayWasUsedBefore()
    {
        var arena = new TensorArena();
        using (arena.Enter()) Tensor.Full(7f, Big);
        using (arena.Enter())
        {
            var z = Tensor.Zeros(Big);
            Assert.Equal(1, arena.Allocations);   // the same array as the 7s
            foreach (float v in z.AsReadOnlySpan()) Assert.Equal(0f, v);
        }
    }

    [Fact]
    public void ScopesDoNotNestAndSuspendRestoresTheScope()
    {
        var arena = new TensorArena();
        using (arena.Enter())
        {
            Assert.Throws<InvalidOperationException>(() => new TensorArena().Enter());
            using (TensorArena.Suspend()) Assert.Null(TensorArena.Current);
            Assert.Same(arena, TensorArena.Current);
        }
        Assert.Null(TensorArena.Current);
    }

    [Fact]
    public void BackwardThroughAGraphWhoseScopeClosedThrowsInsteadOfReadingReusedArrays()
    {
        var arena = new TensorArena();
        var w = Filled(Big, 0.5f);
        w.RequiresGrad = true;
        Tensor loss;
        using (arena.Enter())
        {
            var h = Ops.Mul(w, w);            // saves w (a leaf: ordinary storage) …
            var e = Ops.Exp(Ops.MulScalar(h, 1e-9f));   // … and exp saves its arena-made output
            loss = Ops.Sum(e);
            loss.Backward(retainGraph: true);
        }
        var first = w.Grad!.ToArray();   // leaf gradients are never arena tensors
        Assert.Equal(2 * 0.5f * 1e-9f * MathF.Exp(0.25f * 1e-9f), first[0], 1e-15f);
        // A second pass over the retained graph would read the released activations: it must refuse.
        Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Equal(first, w.Grad!.ToArray());
    }

    [Theory]
    [InlineData("gelu", "layernorm")]
    [InlineData("swiglu", "rmsnorm")]
    public void TrainingStepsInAnArenaGiveTheSameBitsAsWithout(string mlp, string norm)
    {
        // B·T·D = 8·32·32 = 8,192 and the qkv, MLP and attention-pattern tensors are larger: all from the arena.
        var config = new TransformerConfig(20, 2, 32, 4, 32) { Mlp = MlpSpec.Parse(mlp), Norm = norm == "rmsnorm" ? NormKind.RmsNorm : NormKind.LayerNorm };
        var rng = new Rng(5);
        var ids = new int[8 * 33];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(20);
        var x = new int[8 * 32];
        var y = new int[8 * 32];
        for (int b = 0; b < 8; b++)
        {
            Array.Copy(ids, b * 33, x, b * 32, 32);
            Array.Copy(ids, b * 33 + 1, y, b * 32, 32);
        }
        (float[] Weights, float[] Losses) Train(TensorArena? arena)
        {
            var model = new DecoderTransformer(config, new Rng(1));
            var opt = new AdamW(model.Parameters(), 1e-2, (0.9, 0.95), 1e-8, 0.1);
            var losses = new float[4];
            for (int step = 0; step < losses.Length; step++)
            {
                opt.ZeroGrad();
                var scope = arena?.Enter();
                var loss = Loss.CrossEntropy(Ops.Reshape(model.Logits(x, 8, 32), 8 * 32, -1), y);
                loss.Backward();
                losses[step] = loss.Item();
                scope?.Dispose();
                opt.Step();
            }
            return (model.Parameters().SelectMany(p => p.ToArray()).ToArray(), losses);
        }
        var arena = new TensorArena();
        var (wPlain, lPlain) = Train(null);
        var (wArena, lArena) = Train(arena);
        Assert.Equal(lPlain, lArena);
        Assert.True(lPlain[^1] < lPlain[0], $"loss did not fall: {string.Join(", ", lPlain)}");
        Assert.Equal(wPlain, wArena);
        // After the first step every array came back: the later steps allocated nothing new.
        Assert.True(arena.Rents >= 4 * arena.Allocations, $"rents {arena.Rents}, allocations {arena.Allocations}");
    }
}
