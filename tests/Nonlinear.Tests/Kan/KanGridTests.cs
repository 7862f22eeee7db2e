using Nonlinear.Kan;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>Grid update from samples and grid refinement preserve the layer's function; the new grid follows pykan's rule.</summary>
public sealed class KanGridTests
{
    private static KanLayer Layer(Rng rng, KanOptions? o = null) =>
        new(3, 2, (o ?? KanOptions.Pykan) with { NoiseScale = 5, Bias = true }, rng);

    // Coefficients of smooth edge functions (coefficient j ≈ f at the j-th Greville point), as after training;
    // random noise coefficients would make every spline a rough zig-zag no coarser grid can follow.
    private static void Smooth(KanLayer layer)
    {
        var c = layer.Coefficients[0].AsSpan();
        int nb = layer.Splines!.Count, inF = layer.InFeatures;
        for (int o = 0; o < layer.OutFeatures; o++)
            for (int i = 0; i < inF; i++)
                for (int j = 0; j < nb; j++)
                {
                    double t = -1 + 2.0 * (j - 1) / (nb - 3);
                    c[(o * inF + i) * nb + j] = (float)(Math.Sin(1.7 * t + o - i) + 0.3 * t * t);
                }
    }

    private static double MaxAbs(float[] a) => a.Max(v => Math.Abs((double)v));

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));

    [Fact]
    public void RefiningToAMultipleOfTheGridIsExactInsideTheGrid()
    {
        var rng = new Rng(1);
        var layer = Layer(rng);
        layer.SetEdgeMask(1, 2, false);
        var train = Tensor.Rand(rng, [300, 3], -1f, 1f);
        var test = Tensor.Rand(rng, [500, 3], -1f, 0.999f);
        var y = layer.Forward(test).ToArray();
        foreach (var fine in new[] { layer.Refine(10), layer.Refine(20) })
        {
            Assert.Equal(layer.Splines!.GridSize * (fine.Splines!.GridSize / 5), fine.Splines.GridSize);
            Assert.False(fine.IsEdgeActive(1, 2));
            Assert.Equal(layer.Bias!.ToArray(), fine.Bias!.ToArray());
            // Only float rounding of the refitted coefficients (the old spline lies in the new space): measured 3.6e-7.
            double err = MaxDiff(y, fine.Forward(test).ToArray());
            Assert.True(err <= 2e-6 * MaxAbs(y), $"G 5 → {fine.Splines.GridSize}: max |Δy| = {err:E3} (max |y| {MaxAbs(y):E3})");
        }
    }

    [Fact]
    public void RefiningToANonMultipleStaysClose()
    {
        var rng = new Rng(2);
        var layer = Layer(rng);
        Smooth(layer);
        var train = Tensor.Rand(rng, [400, 3], -1f, 1f);
        var y = layer.Forward(train).ToArray();
        var fine = layer.Refine(7, train);
        // A data-adapted 7-interval grid cannot represent the 5-interval cubic exactly; least squares leaves 2.4e-4 of max |y| (measured).
        double err = MaxDiff(y, fine.Forward(train).ToArray());
        Assert.True(err <= 1e-3 * MaxAbs(y), $"G 5 → 7: max |Δy| = {err:E3} (max |y| {MaxAbs(y):E3})");
        Assert.True(err > 1e-6, "a non-nested refinement cannot be exact; an exact result means the test is vacuous");
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void GridUpdateFollowsTheSamplesAndKeepsTheFunction(double eps)
    {
        var rng = new Rng(3);
        var layer = Layer(rng, KanOptions.Pykan with { GridEps = eps });
        Smooth(layer);
        const int n = 400;
        var xv = new float[n * 3];
        for (int q = 0; q < xv.Length; q++) { double u = rng.NextDouble(); xv[q] = (float)(-0.6 + 1.4 * u * u); }  // skewed, inside the old grid
        var x = Tensor.FromArray(xv, n, 3);
        var y = layer.Forward(x).ToArray();
        layer.UpdateGridFromSamples(x);
        for (int i = 0; i < 3; i++)
        {
            var col = Enumerable.Range(0, n).Select(r => (double)xv[r * 3 + i]).Order().ToArray();
            for (int g = 0; g <= 5; g++)
            {
                double adaptive = g == 5 ? col[^1] : col[n * g / 5], uniform = col[0] + g * (col[^1] - col[0]) / 5;
                Assert.Equal((float)(eps * uniform + (1 - eps) * adaptive), (float)layer.Splines!.Knot(i, g + 3));
            }
        }
        // The new grid is finer where the data are, so the old cubic is fitted closely but not exactly (measured ≤ 2.7e-4 of max |y|).
        double err = MaxDiff(y, layer.Forward(x).ToArray());
        Assert.True(err <= 1e-3 * MaxAbs(y), $"eps {eps}: max |Δy| on the samples = {err:E3} (max |y| {MaxAbs(y):E3})");
    }

    [Fact]
    public void PykanInitialisationStatistics()
    {
        const int inF = 64, outF = 64;
        var layer = new KanLayer(inF, outF, KanOptions.Pykan, new Rng(9));
        var sb = layer.ScaleBase!.ToArray();
        double bound = 1 / Math.Sqrt(inF);
        // scale_base = μ/√in + σ·U(−1, 1)/√in with μ = 0, σ = 1: inside ±1/8, mean 0, variance 1/(3·in).
        Assert.All(sb, v => Assert.InRange(v, -bound, bound));
        double mean = sb.Average(v => (double)v), var = sb.Average(v => (double)v * v) - mean * mean;
        Assert.InRange(mean, -3 * Math.Sqrt(1.0 / 3 / inF / sb.Length), 3 * Math.Sqrt(1.0 / 3 / inF / sb.Length));
        Assert.InRange(var / (1.0 / 3 / inF), 0.95, 1.05);
        Assert.All(layer.ScaleSp.ToArray(), v => Assert.Equal((float)(1 / Math.Sqrt(inF)), v));
        // Spline values at the G + 1 grid points are the injected noise U(−½, ½)·0.3/G: |v| ≤ 0.03, std 0.06/√12.
        var bs = layer.Splines!;
        var c = layer.Coefficients[0].ToArray();
        var vals = new List<double>();
        var basis = new double[bs.Count];
        for (int i = 0; i < inF; i++)
            for (int g = 0; g <= 5; g++)
            {
                bs.ReferenceAll(i, bs.Knot(i, g + 3) - (g == 5 ? 1e-9 : 0), basis);
                for (int o = 0; o < outF; o++)
                {
                    double v = 0;
                    for (int j = 0; j < bs.Count; j++) v += c[(o * inF + i) * bs.Count + j] * basis[j];
                    vals.Add(v);
                }
            }
        Assert.All(vals, v => Assert.InRange(v, -0.0301, 0.0301));
        double sd = Math.Sqrt(vals.Average(v => v * v));
        Assert.InRange(sd / (0.06 / Math.Sqrt(12)), 0.95, 1.05);
    }
}
