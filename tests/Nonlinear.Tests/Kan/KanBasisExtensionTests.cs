using System.Text;
using Nonlinear.Kan;
using Nonlinear.Losses;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// The KAN basis extension point: a basis declared in this test project (<see cref="TanhStepsBasis"/>) and registered
/// from outside the library parses in basis and model specs, builds a <see cref="KanLayer"/> whose forward and input
/// gradient match the basis's own double reference, mixes with built-in bases in an S-KAN layer, and trains.
/// </summary>
public sealed class KanBasisExtensionTests
{
    public KanBasisExtensionTests() => TanhStepsBasis.Register();

    [Fact]
    public void RegisteredBasisParsesAndPrintsBack()
    {
        var spec = KanBasisSpec.Parse(" TANH-STEPS(6) ");
        Assert.Same(TanhStepsBasis.Descriptor, spec.Basis);
        Assert.Equal(6, spec.Int("steps"));
        Assert.Equal("tanh_steps(steps=6)", spec.ToString());
        Assert.Equal(spec, KanBasisSpec.Parse(spec.ToString()));
        Assert.Equal("tanh_steps", KanBasisSpec.Parse("tanh_steps(steps=4)").ToString());
        Assert.Contains(TanhStepsBasis.Descriptor, KanBases.All);
        var twice = Assert.Throws<ArgumentException>(() => KanBases.Register(TanhStepsBasis.Descriptor));
        Assert.Contains("KAN basis name 'tanh_steps' is taken by 'tanh_steps'", twice.Message);
        var bounds = Assert.Throws<InvalidInputException>(() => KanBasisSpec.Parse("tanh_steps(steps=65)"));
        Assert.Contains("steps must be an integer in [2, 64]; got 65", bounds.Message);
    }

    // Bounds as KanLayerGradTests: forward |y − r| ≤ 1e-5·max|r| (float GEMM over K = 3·(1 + 5) = 18 terms and
    // MathF.Tanh within 1 ulp: ≈ 20u); dx within 2e-5·(|fd| + max|fd|) of a central difference (h = 1e-6) of the
    // double reference. A wrong derivative (e.g. tanh instead of 1 − tanh²) is off by O(|g|).
    [Fact]
    public void LayerMatchesTheBasisDoubleReference()
    {
        const int n = 7, inF = 3, outF = 2, steps = 5;
        var rng = new Rng(11);
        var layer = new KanLayer(inF, outF, new KanOptions { Bases = [KanBasisSpec.Parse("tanh_steps(steps=5)")], Bias = true }, rng);
        Assert.IsType<TanhStepsBasis>(Assert.Single(layer.Spaces));
        Assert.Equal([outF, inF, steps], layer.Coefficients[0].Shape.ToArray());
        Assert.All(layer.ScaleSp.ToArray(), v => Assert.Equal(1f, v));     // no /√in: the basis did not ask for pykan's convention
        foreach (var p in layer.NamedParameters())
        {
            var s = p.Tensor.AsSpan();
            for (int q = 0; q < s.Length; q++) s[q] += (float)(0.5 * (rng.NextDouble() - 0.5));
        }
        var xv = new float[n * inF];
        for (int q = 0; q < xv.Length; q++) xv[q] = (float)(3 * rng.NextDouble() - 1.5);
        var sb = Array.ConvertAll(layer.ScaleBase!.ToArray(), v => (double)v);
        var sp = Array.ConvertAll(layer.ScaleSp.ToArray(), v => (double)v);
        var c = Array.ConvertAll(layer.Coefficients[0].ToArray(), v => (double)v);
        var b = Array.ConvertAll(layer.Bias!.ToArray(), v => (double)v);

        // y_o = b_o + Σ_i sb·silu(x_i) + sp·Σ_j c_j·tanh(x_i − c_j), written from the definition.
        double[] Reference(double[] x)
        {
            var y = new double[n * outF];
            for (int r = 0; r < n; r++)
                for (int o = 0; o < outF; o++)
                {
                    double acc = b[o];
                    for (int i = 0; i < inF; i++)
                    {
                        double xi = x[r * inF + i], spline = 0;
                        int e = o * inF + i;
                        for (int j = 0; j < steps; j++) spline += c[e * steps + j] * Math.Tanh(xi - (-1 + 2.0 * j / (steps - 1)));
                        acc += sb[e] * xi / (1 + Math.Exp(-xi)) + sp[e] * spline;
                    }
                    y[r * outF + o] = acc;
                }
            return y;
        }

        var x = Tensor.FromArray(xv, n, inF).RequireGrad();
        var yt = layer.Forward(x);
        var xd = Array.ConvertAll(xv, v => (double)v);
        var want = Reference(xd);
        var got = yt.ToArray();
        double ymax = want.Max(Math.Abs);
        var fails = new StringBuilder();
        for (int q = 0; q < want.Length; q++)
            if (!(Math.Abs(got[q] - want[q]) <= 1e-5 * ymax)) fails.AppendLine($"y[{q}] {got[q]:R} vs {want[q]:R}");

        var w = new double[want.Length];
        for (int q = 0; q < w.Length; q++) w[q] = 2 * rng.NextDouble() - 1;
        yt.Backward(Tensor.FromArray(Array.ConvertAll(w, v => (float)v), n, outF));
        var gx = x.Grad!.ToArray();
        var fd = new double[xd.Length];
        for (int q = 0; q < xd.Length; q++)
        {
            double keep = xd[q];
            xd[q] = keep + 1e-6;
            double up = Reference(xd).Select((v, k) => v * w[k]).Sum();
            xd[q] = keep - 1e-6;
            double down = Reference(xd).Select((v, k) => v * w[k]).Sum();
            xd[q] = keep;
            fd[q] = (up - down) / 2e-6;
        }
        double gmax = fd.Max(Math.Abs);
        Assert.True(gmax > 0.1, $"the input gradient is too small to test anything: {gmax}");
        for (int q = 0; q < fd.Length; q++)
            if (!(Math.Abs(gx[q] - fd[q]) <= 2e-5 * (Math.Abs(fd[q]) + gmax))) fails.AppendLine($"dx[{q}] {gx[q]:R} vs {fd[q]:R}");
        Assert.True(fails.Length == 0, fails.ToString());
    }

    [Fact]
    public void MixesWithBuiltInBasesInAnSKanLayer()
    {
        var spec = ModelSpec.Parse("skan[bspline,tanh_steps(steps=3)]:4@7");
        Assert.Equal("skan[bspline,tanh_steps(steps=3)]:4@7", spec.ToString());
        Assert.Equal(spec, ModelSpec.Parse(spec.ToString()));
        Assert.Equal(["bspline(grid=7)", "tanh_steps(steps=3)"], spec.Bases.Select(b => b.ToString()));
        var net = Assert.IsType<KanNetwork>(spec.Build(2, 3, new Rng(0)));
        var names = net.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("layers.0.coef_bspline", names);
        Assert.Contains("layers.0.coef_tanh_steps", names);
        Assert.Equal([4, 2], net.NamedParameters().Single(p => p.Name == "layers.0.mix_logits").Tensor.Shape.ToArray());
        Assert.Equal([3, 4, 3], net.NamedParameters().Single(p => p.Name == "layers.1.coef_tanh_steps").Tensor.Shape.ToArray());
        Assert.Equal([5, 3], net.Forward(Tensor.Zeros(5, 2)).Shape.ToArray());
    }

    // y = sin(2x) on [−1.5, 1.5] with a [1, 4, 1] KAN of 8 tanh steps, full-batch Adam: the loss must fall from the
    // initial ~0.5 (the variance of the target, 0.52) to below 1e-3, which needs the learned edges (the best line leaves 0.16).
    [Fact]
    public void KanOfTheTestBasisTrains()
    {
        var net = (KanNetwork)ModelSpec.Parse("kan[tanh_steps(steps=8)]:4").Build(1, 1, new Rng(3));
        const int n = 64;
        var xs = new float[n];
        var ys = new float[n];
        for (int q = 0; q < n; q++) { xs[q] = -1.5f + 3f * q / (n - 1); ys[q] = MathF.Sin(2 * xs[q]); }
        var x = Tensor.FromArray(xs, n, 1);
        var y = Tensor.FromArray(ys, n, 1);
        var opt = new Adam(net.Parameters(), 0.02);
        double first = 0, last = 0;
        for (int step = 0; step < 400; step++)
        {
            opt.ZeroGrad();
            var loss = Loss.Mse(net.Forward(x), y);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            opt.Step();
        }
        Assert.True(first > 0.3, $"initial loss {first}");
        Assert.True(last < 1e-3, $"loss {first} → {last} after 400 steps");
    }
}
