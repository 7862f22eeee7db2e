using Nonlinear.Interpret.Sae;
using Xunit;
using static Nonlinear.Tests.Interpret.Sae.SaeFixtures;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>
/// Every architecture's hand-written backward against central finite differences of its loss, in double, for
/// every entry of every parameter (JumpReLU's threshold has no derivative; its STE is checked against the
/// formula in <see cref="JumpReluSteTests"/>).
/// </summary>
public sealed class SaeGradientTests
{
    public static TheoryData<string, bool, bool?> Cases() => new()
    {
        { "standard", false, false }, { "standard", false, true }, { "standard", true, false },
        { "topk", false, null }, { "topk", true, null },
        { "batchtopk", false, null },
        { "jumprelu", false, false }, { "jumprelu", false, true },
        { "gated", false, null },
        { "matryoshka", false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossGradientMatchesFiniteDifferences(string arch, bool transcoder, bool? sparse)
    {
        var cfg = Config(arch, transcoder);
        var p = Params<double>(cfg, 3);
        var s = Step(cfg, p);
        s.ForceSparse = sparse;
        s.SparsityScale = 0.7;
        if (arch is "topk" or "batchtopk")
        {
            // Latents 0, 4, 7 dead: AuxK is part of the loss; its detached residual is frozen at the current value.
            s.Dead = new bool[DSae];
            s.Dead[0] = s.Dead[4] = s.Dead[7] = true;
            cfg.Architecture.Loss(s);
            s.FrozenResidual = [.. Enumerable.Range(0, N * cfg.DOut).Select(j => s.Y[j] - s.XHat[j])];
        }
        if (arch == "gated") s.FrozenDecoder = ((double[])p.WDec.Clone(), (double[])p.BDec.Clone());

        var g = new SaeParams<double>(cfg);
        s.G = g;
        cfg.Architecture.Loss(s);
        if (arch is "topk" or "batchtopk") Assert.True(s.Aux > 0, "AuxK must contribute to the checked loss");
        Assert.Equal(sparse ?? arch is not ("gated" or "standard" or "jumprelu"), s.Codes.IsSparse);
        s.G = null;

        const double h = 1e-6;
        int checkedEntries = 0;
        foreach (var name in p.Names)
        {
            if (name == "log_threshold") continue;
            var a = p[name];
            for (int i = 0; i < a.Length; i++)
            {
                double keep = a[i];
                a[i] = keep + h; s.SetBatch(s.X, cfg.IsTranscoder ? s.Y : default, N); cfg.Architecture.Loss(s); double up = s.Loss;
                a[i] = keep - h; s.SetBatch(s.X, cfg.IsTranscoder ? s.Y : default, N); cfg.Architecture.Loss(s); double down = s.Loss;
                a[i] = keep;
                double fd = (up - down) / (2 * h), an = g[name][i];
                Assert.True(Math.Abs(fd - an) <= 1e-6 * Math.Max(1, Math.Abs(an)), $"{arch} {name}[{i}]: analytic {an}, finite difference {fd}");
                checkedEntries++;
            }
        }
        Assert.Equal(p.Names.Where(n => n != "log_threshold").Sum(n => p[n].Length), checkedEntries);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("jumprelu")]
    public void SparseAndDensePathsAgree(string arch)
    {
        var cfg = Config(arch);
        var results = new List<(double Loss, SaeParams<float> G)>();
        foreach (var sparse in new[] { false, true })
        {
            var p = Params<float>(cfg, 5);
            var s = Step(cfg, p);
            s.ForceSparse = sparse;
            s.G = new SaeParams<float>(cfg);
            cfg.Architecture.Loss(s);
            results.Add((s.Loss, s.G));
        }
        Assert.Equal(results[0].Loss, results[1].Loss, 1e-5);
        foreach (var name in results[0].G.Names)
            for (int i = 0; i < results[0].G[name].Length; i++)
                Assert.True(Math.Abs(results[0].G[name][i] - results[1].G[name][i]) <= 1e-5f * Math.Max(1, Math.Abs(results[0].G[name][i])),
                    $"{arch} {name}[{i}]: dense {results[0].G[name][i]}, sparse {results[1].G[name][i]}");
    }
}
