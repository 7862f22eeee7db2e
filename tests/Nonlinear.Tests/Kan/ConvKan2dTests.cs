using Nonlinear.Kernels;
using System.Text;
using Nonlinear.Kan;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>ConvKan2d against a double reference (windows gathered by loops, edge sums by <see cref="KanReference"/>); gradients by finite differences.</summary>
public sealed class ConvKan2dTests
{
    // y [N, O, OH, OW] in double from x [N, C, H, W] by explicit window loops with zero padding.
    private static double[] Reference(ConvKan2d conv, double[] x, int n, int h, int w, Dictionary<string, double[]> p, out int oh, out int ow)
    {
        var win = conv.Window;
        int c = conv.InChannels, o = conv.OutChannels, taps = win.Taps;
        (oh, ow) = win.OutputSize(h, w);
        int l = oh * ow;
        var rows = new double[n * l * c * taps];
        for (int s = 0; s < n; s++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++)
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < win.KernelH; i++)
                            for (int j = 0; j < win.KernelW; j++)
                            {
                                int yy = py * win.StrideH - win.PadH + i * win.DilationH, xx = px * win.StrideW - win.PadW + j * win.DilationW;
                                double v = yy >= 0 && yy < h && xx >= 0 && xx < w ? x[((s * c + ch) * h + yy) * w + xx] : 0;
                                rows[((s * l + py * ow + px) * c + ch) * taps + i * win.KernelW + j] = v;
                            }
        var yr = KanReference.Forward(conv.Kan, rows, n * l, p);
        var y = new double[n * o * l];
        for (int s = 0; s < n; s++)
            for (int q = 0; q < l; q++)
                for (int k = 0; k < o; k++) y[(s * o + k) * l + q] = yr[(s * l + q) * o + k];
        return y;
    }

    [Theory]
    [InlineData("pykan", 3, 1, 1)]
    [InlineData("rbf", 2, 2, 0)]
    [InlineData("chebyshev", 3, 2, 1)]
    public void ForwardAndGradientsMatchReference(string config, int kernel, int stride, int pad)
    {
        var rng = new Rng(31);
        const int n = 2, c = 2, h = 4, w = 4;
        var conv = new ConvKan2d(c, 3, Window2d.Square(kernel, stride, pad), config switch
        {
            "rbf" => new KanOptions { Bases = [RbfBasis.Descriptor.DefaultSpec], Bias = true },
            "chebyshev" => KanOptions.ChebyKan,
            _ => KanOptions.Pykan with { NoiseScale = 3 },
        }, rng);
        var xv = new float[n * c * h * w];
        for (int q = 0; q < xv.Length; q++) xv[q] = (float)(2.4 * rng.NextDouble() - 1.2);
        var x = Tensor.FromArray(xv, n, c, h, w).RequireGrad();
        var y = conv.Forward(x);
        var p = KanReference.Parameters(conv.Kan);
        var xd = Array.ConvertAll(xv, v => (double)v);
        var r = Reference(conv, xd, n, h, w, p, out int oh, out int ow);
        Assert.Equal([n, 3, oh, ow], y.Shape.ToArray());
        var fails = new StringBuilder();
        double rmax = r.Max(Math.Abs);
        var yv = y.ToArray();
        for (int q = 0; q < r.Length; q++)
            if (!(Math.Abs(yv[q] - r[q]) <= 1e-5 * rmax)) fails.AppendLine($"y[{q}] {yv[q]:R} vs {r[q]:R}");
        var wts = new double[r.Length];
        for (int q = 0; q < wts.Length; q++) wts[q] = 2 * rng.NextDouble() - 1;
        y.Backward(Tensor.FromArray(Array.ConvertAll(wts, v => (float)v), y.Shape.ToArray()));
        double Loss() { var rr = Reference(conv, xd, n, h, w, p, out _, out _); double s = 0; for (int q = 0; q < wts.Length; q++) s += wts[q] * rr[q]; return s; }
        var targets = new List<(string, double[], float[])> { ("x", xd, x.Grad!.ToArray()) };
        foreach (var np in conv.Kan.NamedParameters()) targets.Add((np.Name, p[np.Name], np.Tensor.Grad!.ToArray()));
        foreach (var (name, values, grad) in targets)
        {
            // ≤ 12 evenly spread coordinates per tensor keep the test fast; every parameter tensor is still checked.
            var fd = new List<(int J, double D)>();
            int step = Math.Max(1, values.Length / 12);
            for (int j = 0; j < values.Length; j += step)
            {
                double v0 = values[j], hh = 1e-6 * Math.Max(1, Math.Abs(v0));
                values[j] = v0 + hh; double lp = Loss();
                values[j] = v0 - hh; double lm = Loss();
                values[j] = v0;
                fd.Add((j, (lp - lm) / (2 * hh)));
            }
            double scale = fd.Max(t => Math.Abs(t.D));
            foreach (var (j, d) in fd)
                if (!(Math.Abs(grad[j] - d) <= 2e-5 * (Math.Abs(d) + scale))) fails.AppendLine($"{name}[{j}]: ours {grad[j]:R}, fd {d:R}");
        }
        Assert.True(fails.Length == 0, $"{config}:\n{fails}");
    }
}
