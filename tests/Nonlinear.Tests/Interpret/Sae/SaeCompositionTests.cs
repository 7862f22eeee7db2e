using Nonlinear.Activations;
using Nonlinear.Interpret.Sae;
using Nonlinear.Tensors;
using Xunit;
using static Nonlinear.Tests.Interpret.Sae.SaeFixtures;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>
/// The fused SAE kernels against the same loss composed from tensor primitives with autograd (the specification),
/// in float: loss and every parameter gradient. TopK-like codes enter the composition as ReLU(pre)·mask, the mask
/// being the fused path's selection (a constant, as in torch's scatter of topk values).
/// </summary>
public sealed class SaeCompositionTests
{
    [Theory]
    [InlineData("standard")]
    [InlineData("topk")]
    [InlineData("batchtopk")]
    [InlineData("matryoshka")]
    [InlineData("jumprelu")]
    public void FusedEqualsComposition(string arch)
    {
        var cfg = Config(arch);
        var p = Params<float>(cfg, 21);
        var s = Step(cfg, p);
        s.G = new SaeParams<float>(cfg);
        cfg.Architecture.Loss(s);

        var t = p.Names.ToDictionary(n => n, n => Tensor.FromArray((float[])p[n].Clone(), SaeParams<float>.Shape(cfg, n)).RequireGrad());
        var x = Tensor.FromArray(s.X.AsSpan(0, N * DIn).ToArray(), N, DIn);
        var pre = (x - t["b_dec"]).MatMul(t["W_enc"]) + t["b_enc"];
        var mask = new float[N * DSae];
        for (int r = 0; r < N; r++) for (int i = 0; i < DSae; i++) mask[r * DSae + i] = s.Codes.Get(r, i) != 0 ? 1 : 0;
        var f = arch == "standard" ? pre.Relu() : pre.Relu() * Tensor.FromArray(mask, N, DSae);
        Tensor loss;
        if (arch == "matryoshka")
        {
            loss = Tensor.From(0f);
            foreach (var w in new[] { 2, 5, DSae })
            {
                var prefix = new float[DSae];
                for (int i = 0; i < w; i++) prefix[i] = 1;
                var xh = (f * Tensor.FromArray(prefix, DSae)).MatMul(t["W_dec"]) + t["b_dec"];
                loss = loss + (xh - x).Pow(2).Sum(1).Mean();
            }
        }
        else
        {
            var xh = f.MatMul(t["W_dec"]) + t["b_dec"];
            loss = (xh - x).Pow(2).Sum(1).Mean();
            if (arch == "standard")
                loss = loss + ((f * t["W_dec"].Pow(2).Sum(1).Sqrt()).Sum(1).Mean() * (float)cfg.SparsityCoefficient);
            if (arch == "jumprelu")
                loss = loss + Tensor.From((float)(cfg.SparsityCoefficient * mask.Sum() / N));
        }
        loss.Backward();
        Assert.Equal(loss.Item(), s.Loss, 4);
        foreach (var name in p.Names)
        {
            if (name == "log_threshold") continue;
            var expected = t[name].Grad!.AsReadOnlySpan();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - s.G[name][i]) <= 2e-5f * Math.Max(1, Math.Abs(expected[i])),
                    $"{arch} {name}[{i}]: composition {expected[i]}, fused {s.G[name][i]}");
        }
    }

    [Fact]
    public void TopKKeepsTheKLargestPositivePreActivations()
    {
        var cfg = Config("topk");
        var s = Step(cfg, Params<float>(cfg, 4));
        cfg.Architecture.Encode(s);
        for (int r = 0; r < N; r++)
        {
            var row = s.Pre.AsSpan(r * DSae, DSae).ToArray();
            var kth = row.OrderByDescending(v => v).ElementAt(K - 1);
            for (int i = 0; i < DSae; i++)
                Assert.Equal(row[i] >= kth && row[i] > 0 ? row[i] : 0f, s.Codes.Get(r, i));
        }
    }

    [Fact]
    public void BatchTopKKeepsKTimesNOverTheBatch()
    {
        var cfg = Config("batchtopk");
        var s = Step(cfg, Params<float>(cfg, 4));
        s.G = new SaeParams<float>(cfg);
        cfg.Architecture.Loss(s);
        var all = s.Pre.AsSpan(0, N * DSae).ToArray();
        var kth = all.OrderByDescending(v => v).ElementAt(K * N - 1);
        Assert.True(kth > 0);
        Assert.Equal(K * N, s.Codes.NonZeros);
        for (int r = 0; r < N; r++)
            for (int i = 0; i < DSae; i++)
                Assert.Equal(all[r * DSae + i] >= kth ? all[r * DSae + i] : 0f, s.Codes.Get(r, i));
        Assert.Equal(kth, s.BatchThreshold, 6);   // first batch: the running threshold is the smallest kept value
    }
}
