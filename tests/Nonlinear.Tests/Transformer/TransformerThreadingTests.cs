using Nonlinear.Activations;
using Nonlinear.Kernels;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>
/// The language-model step's large ops split rows or elements across the worker pool above a size threshold: the gate
/// product, Linear's bias fill and same-shape elementwise ops. Each must give the same bits at every thread count and
/// the values of its definition. Sizes are chosen above the thresholds (so the split path runs) and uneven (so the
/// last chunk is ragged).
/// </summary>
public class TransformerThreadingTests
{
    private static Tensor Random(Rng rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = 4f * rng.NextFloat() - 2f;
        return t;
    }

    private static T AtThreads<T>(int threads, Func<T> run)
    {
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try { return run(); }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData(null)]
    public void LargeGatedProductIsTheSameAtEveryThreadCountAndEqualsItsDefinition(string? gate)
    {
        const int rows = 97, h = 344;   // 33,368 hidden values: above the op's 32,768 threshold
        var act = gate is null ? null : ActivationCatalog.Get(gate).Create();
        var u0 = Random(new Rng(3), rows, 2 * h);
        var dy = Random(new Rng(4), rows, h);
        (float[] Y, float[] G) Run()
        {
            var u = u0.Detach().Clone().RequireGrad();
            var y = GateOp.GatedProduct(u, act);
            y.Backward(dy);
            return (y.ToArray(), u.Grad!.ToArray());
        }
        var one = AtThreads(1, Run);
        var three = AtThreads(3, Run);
        Assert.Equal(one.Y, three.Y);
        Assert.Equal(one.G, three.G);
        // Definition, per element in double: y = g(a)·b, da = g′(a)·dy·b, db = dy·g(a). g and g′ come from the
        // activation's own double reference (finite differences of it for g′ would add error), so compare against
        // a float evaluation of the same activation on one row at a time.
        var us = u0.ToArray();
        var ds = dy.ToArray();
        var ga = new float[h];
        var gPrime = new float[h];
        var ones = Enumerable.Repeat(1f, h).ToArray();
        for (int r = 0; r < rows; r++)
        {
            var a = us.AsSpan(r * 2 * h, h);
            if (act is null) { a.CopyTo(ga); Array.Fill(gPrime, 1f); }
            else { act.Forward(a, ga); act.Backward(a, ga, ones, gPrime); }
            for (int i = 0; i < h; i++)
            {
                float b = us[r * 2 * h + h + i], d = ds[r * h + i];
                Assert.Equal(ga[i] * b, one.Y[r * h + i]);
                Assert.Equal(d * ga[i], one.G[r * 2 * h + h + i]);
                double da = (double)gPrime[i] * d * b;
                Assert.True(Math.Abs(one.G[r * 2 * h + i] - da) <= 1e-6 * (1 + Math.Abs(da)), $"da[{r},{i}]: {one.G[r * 2 * h + i]:R} vs {da:R}");
            }
        }
    }

    [Fact]
    public void LargeLinearWithBiasIsTheSameAtEveryThreadCountAndEqualsTheDoubleProduct()
    {
        const int rows = 301, inF = 24, outF = 256;   // 77,056 outputs: the bias fill runs split
        var x = Random(new Rng(5), rows, inF);
        var w = Random(new Rng(6), outF, inF);
        var b = Random(new Rng(7), outF);
        var one = AtThreads(1, () => Ops.Linear(x, w, b).ToArray());
        var three = AtThreads(3, () => Ops.Linear(x, w, b).ToArray());
        Assert.Equal(one, three);
        float[] xs = x.ToArray(), ws = w.ToArray(), bs = b.ToArray();
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outF; o++)
            {
                double s = bs[o];
                for (int k = 0; k < inF; k++) s += (double)xs[r * inF + k] * ws[o * inF + k];
                Assert.True(Math.Abs(one[r * outF + o] - s) <= 1e-5 * (1 + Math.Abs(s)), $"y[{r},{o}]: {one[r * outF + o]:R} vs {s:R}");
            }
    }

    [Fact]
    public void LargeSameShapeAddAndMulAreExactAtEveryThreadCount()
    {
        const int n = (1 << 17) + 77;   // above the split threshold, not a multiple of any chunk or vector size
        var a = Random(new Rng(8), n);
        var b = Random(new Rng(9), n);
        float[] sa = a.ToArray(), sb = b.ToArray();
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var sum = AtThreads(threads, () => Ops.Add(a, b).ToArray());
            var prod = AtThreads(threads, () => Ops.Mul(a, b).ToArray());
            for (int i = 0; i < n; i++)
            {
                // One IEEE rounding per element, whichever chunk or path computed it.
                if (sum[i] != sa[i] + sb[i]) Assert.Fail($"threads {threads}: sum[{i}] = {sum[i]:R}, expected {sa[i] + sb[i]:R}");
                if (prod[i] != sa[i] * sb[i]) Assert.Fail($"threads {threads}: prod[{i}] = {prod[i]:R}, expected {sa[i] * sb[i]:R}");
            }
        }
    }
}
