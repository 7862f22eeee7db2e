using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>
/// The no-grad MLP forward of <see cref="Sequential"/> (SequentialInference): the bits of the layer-by-layer forward,
/// results that later calls do not overwrite, hooks still honoured, and concurrent calls on one model correct.
/// </summary>
public class SequentialInferenceTests
{
    private static Sequential Mlp(string act, int seed) =>
        new(new Linear(20, 32, new Rng((ulong)seed)), new ActivationLayer(act), new Linear(32, 16, new Rng((ulong)seed + 1)),
            new ActivationLayer(act), new Linear(16, 5, new Rng((ulong)seed + 2)));

    private static float[] LayerByLayer(Sequential model, Tensor x)
    {
        using var _ = Autograd.NoGrad();
        for (int i = 0; i < model.Count; i++) x = model[i].Forward(x);
        return x.ToArray();
    }

    private static float[] NoGrad(Sequential model, Tensor x)
    {
        using var _ = Autograd.NoGrad();
        return model.Forward(x).ToArray();
    }

    [Theory]
    [InlineData("relu", 1)]
    [InlineData("gelu", 7)]
    [InlineData("silu", 300)]
    public void SameBitsAsTheLayerByLayerForward(string act, int rows)
    {
        var model = Mlp(act, 3);
        var x = Tensor.Rand(new Rng(9), [rows, 20], -2f, 2f);
        var want = LayerByLayer(model, x);
        // Twice: the second call reuses the hidden buffers the first one left.
        for (int call = 0; call < 2; call++)
        {
            var got = NoGrad(model, x);
            Assert.Equal(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(want[i]) == BitConverter.SingleToInt32Bits(got[i]), $"call {call}, [{i}]: {got[i]:R} vs {want[i]:R}");
        }
        // With gradients on, the recorded path gives the same values too.
        Assert.Equal(want, model.Forward(x).ToArray());
    }

    [Fact]
    public void AReturnedOutputIsNotOverwrittenByTheNextCall()
    {
        var model = Mlp("relu", 4);
        var x1 = Tensor.Rand(new Rng(1), [64, 20], -1f, 1f);
        var x2 = Tensor.Rand(new Rng(2), [64, 20], -1f, 1f);
        Tensor y1;
        using (Autograd.NoGrad()) y1 = model.Forward(x1);
        var kept = y1.ToArray();
        using (Autograd.NoGrad()) model.Forward(x2);
        Assert.Equal(kept, y1.ToArray());
        Assert.Equal(LayerByLayer(model, x1), kept);
        Assert.Equal(new[] { 64, 5 }, y1.Shape.ToArray());
    }

    [Fact]
    public void HooksStillSeeEveryLayer()
    {
        var model = Mlp("relu", 5);
        var x = Tensor.Rand(new Rng(3), [8, 20], -1f, 1f);
        float[]? seen = null;
        using (model.Hook("1", (m, input, output) => { seen = output.ToArray(); return null; }))
        {
            var y = NoGrad(model, x);
            Assert.Equal(LayerByLayer(model, x), y);
        }
        Assert.NotNull(seen);
        Assert.Equal(8 * 32, seen!.Length);
        Assert.All(seen, v => Assert.True(v >= 0));
    }

    [Fact]
    public void ConcurrentCallsOnOneModelAreCorrect()
    {
        var model = Mlp("gelu", 6);
        var inputs = Enumerable.Range(0, 8).Select(i => Tensor.Rand(new Rng((ulong)(10 + i)), [33 + i, 20], -1f, 1f)).ToArray();
        var want = inputs.Select(x => LayerByLayer(model, x)).ToArray();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            int i = k % inputs.Length;
            Assert.Equal(want[i], NoGrad(model, inputs[i]));
        });
    }

    [Fact]
    public void OtherShapesTakeTheLayerByLayerPath()
    {
        // A rank-3 input and widths that do not chain are the layer-by-layer forward's to handle (and report).
        var model = Mlp("relu", 7);
        var x3 = Tensor.Rand(new Rng(4), [2, 3, 20], -1f, 1f);
        using (Autograd.NoGrad()) Assert.Equal(new[] { 2, 3, 5 }, model.Forward(x3).Shape.ToArray());
        var broken = new Sequential(new Linear(4, 6, new Rng(1)), new ActivationLayer("relu"), new Linear(5, 2, new Rng(2)));
        using (Autograd.NoGrad()) Assert.Throws<ArgumentException>(() => broken.Forward(Tensor.Rand(new Rng(5), [3, 4], -1f, 1f)));
    }
}
