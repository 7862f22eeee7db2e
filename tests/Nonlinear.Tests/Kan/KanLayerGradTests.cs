using System.Text;
using Nonlinear.Kan;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// Forward against the double reference and the gradient of L = Σ w⊙y with respect to x and every parameter
/// against central finite differences of the reference in double, for every basis, S-KAN, bias, a pruned edge
/// and a symbolic edge.
/// </summary>
/// <remarks>
/// Bounds: forward |y − r| ≤ 1e-5·max|r| (float GEMM over K ≤ 100 terms: ≈ K·u ≈ 6e-6 relative to the largest
/// magnitude); gradients |g − fd| ≤ 2e-5·(|fd| + max|fd|) per tensor (float accumulations of ≤ 100 terms; the
/// double finite difference with h = 1e-6 is good to ~1e-9). A wrong rule is off by O(|g|).
/// </remarks>
public sealed class KanLayerGradTests
{
    public static TheoryData<string> Configs => ["pykan", "pykan-bias", "rbf", "fastkan-nonorm", "chebyshev", "fourier", "skan", "k2-g7", "masked-symbolic"];

    internal static KanLayer Make(string config, int inF, int outF, Rng rng)
    {
        var o = config switch
        {
            "pykan" => KanOptions.Pykan,
            "pykan-bias" => KanOptions.Pykan with { Bias = true, NoiseScale = 3 },
            "rbf" => new KanOptions { Bases = [RbfBasis.Descriptor.DefaultSpec], BaseBranch = false },
            "fastkan-nonorm" => KanOptions.FastKan with { LayerNorm = false },
            "chebyshev" => KanOptions.ChebyKan with { ChebyshevDegree = 5 },
            "fourier" => KanOptions.FourierKan with { FourierFrequencies = 4 },
            "skan" => KanOptions.Selectable,
            "k2-g7" => KanOptions.Pykan with { SplineOrder = 2, GridSize = 7, GridMin = -1.5, GridMax = 0.5 },
            "masked-symbolic" => KanOptions.Pykan with { Bias = true },
            _ => throw new ArgumentException(config),
        };
        var layer = new KanLayer(inF, outF, o, rng);
        // Move every parameter off its special initial value (zero logits, zero bias, constant scale_sp).
        foreach (var p in layer.NamedParameters())
        {
            var s = p.Tensor.AsSpan();
            for (int q = 0; q < s.Length; q++) s[q] += (float)(0.5 * (rng.NextDouble() - 0.5));
        }
        if (config == "masked-symbolic")
        {
            layer.SetEdgeMask(1, 0, false);
            layer.SetSymbolic(0, 2, new SymbolicEdge("sin", Math.Sin, Math.Cos, A: 1.7, B: 0.3, C: -0.8, D: 0.25));
        }
        return layer;
    }

    [Theory, MemberData(nameof(Configs))]
    public void ForwardAndGradientsMatchReference(string config)
    {
        var rng = new Rng(7);
        const int n = 6, inF = 3, outF = 2;
        var layer = Make(config, inF, outF, rng);
        var xv = new float[n * inF];
        for (int q = 0; q < xv.Length; q++) xv[q] = (float)(2.6 * rng.NextDouble() - 1.3);
        var x = Tensor.FromArray(xv, n, inF).RequireGrad();
        var y = layer.Forward(x);
        var p = KanReference.Parameters(layer);
        var xd = Array.ConvertAll(xv, v => (double)v);
        var r = KanReference.Forward(layer, xd, n, p);
        var fails = new StringBuilder();
        double rmax = r.Max(Math.Abs);
        var yv = y.ToArray();
        for (int q = 0; q < r.Length; q++)
            if (!(Math.Abs(yv[q] - r[q]) <= 1e-5 * rmax)) fails.AppendLine($"y[{q}] {yv[q]:R} vs {r[q]:R}");

        var w = new double[r.Length];
        for (int q = 0; q < w.Length; q++) w[q] = 2 * rng.NextDouble() - 1;
        y.Backward(Tensor.FromArray(Array.ConvertAll(w, v => (float)v), n, outF));
        double Loss() { var rr = KanReference.Forward(layer, xd, n, p); double s = 0; for (int q = 0; q < w.Length; q++) s += w[q] * rr[q]; return s; }

        var targets = new List<(string Name, double[] Values, float[] Grad)> { ("x", xd, x.Grad!.ToArray()) };
        foreach (var np in layer.NamedParameters())
        {
            Assert.True(np.Tensor.Grad is not null, $"{config}: {np.Name} received no gradient");
            targets.Add((np.Name, p[np.Name], np.Tensor.Grad!.ToArray()));
        }
        foreach (var (name, values, grad) in targets)
        {
            var fd = new double[values.Length];
            for (int j = 0; j < values.Length; j++)
            {
                double v0 = values[j], h = 1e-6 * Math.Max(1, Math.Abs(v0));
                values[j] = v0 + h; double lp = Loss();
                values[j] = v0 - h; double lm = Loss();
                values[j] = v0;
                fd[j] = (lp - lm) / (2 * h);
            }
            double scale = fd.Max(Math.Abs);
            for (int j = 0; j < fd.Length; j++)
                if (!(Math.Abs(grad[j] - fd[j]) <= 2e-5 * (Math.Abs(fd[j]) + scale)))
                    fails.AppendLine($"{name}[{j}]: ours {grad[j]:R}, fd {fd[j]:R}");
        }
        Assert.True(fails.Length == 0, $"{config}:\n{fails}");
    }
}
