using Nonlinear.Layers;
using Nonlinear.Layers.Inr;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Inr;

/// <summary>The coordinate-network model kinds: their spec strings and their initialisation statistics.</summary>
public class CoordinateKindTests
{
    [Theory]
    [InlineData("siren:256x3", "siren:256x3", new[] { 256, 256, 256 })]
    [InlineData("SIREN:64x2,omega=20", "siren:64x2,omega=20", new[] { 64, 64 })]
    [InlineData("spder:32x2", "spder:32x2", new[] { 32, 32 })]
    [InlineData("finer:16x2,bias=5", "finer:16x2,bias=5", new[] { 16, 16 })]
    [InlineData("gauss:8x4,s=3", "gauss:8x4,s=3", new[] { 8, 8, 8, 8 })]
    [InlineData("gabor:8x1,omega=10,s=5", "gabor:8,omega=10,s=5", new[] { 8 })]
    [InlineData("siren:64,32", "siren:64,32", new[] { 64, 32 })]
    [InlineData("mlp:32x3", "mlp:32,32,32", new[] { 32, 32, 32 })]
    [InlineData("mlp:16,8x2", "mlp:16,8,8", new[] { 16, 8, 8 })]
    public void SpecsParseAndPrintBack(string text, string printed, int[] widths)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(widths, spec.Widths);
        string shown = spec.ToString();
        Assert.Equal(printed, shown);
        Assert.Equal(spec, ModelSpec.Parse(shown));
    }

    [Theory]
    [InlineData("siren:", "siren:WxD")]
    [InlineData("siren:256x0", "repeats width 256 0 times")]
    [InlineData("siren:256x3,omega=-1", "omega")]
    [InlineData("finer:8x2,speed=3", "speed")]
    [InlineData("siren:256x65", "1 to 64 layers")]
    public void BadSpecsNameTheModel(string text, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(text));
        Assert.Contains("--model", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AnActivationIsRefusedForCoordinateKinds()
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse("siren:64x2", "relu"));
        Assert.Contains("siren models take no activation", e.Message);
    }

    // Uniform U(±b): max |w| just under b, variance b²/3; with n ≥ 512 draws the sample variance is within 2 % (≥ 5 σ of its ≈ 0.35–4 % spread).
    private static void AssertUniform(Tensor w, double bound, string what)
    {
        var v = w.ToArray();
        double max = v.Max(x => Math.Abs((double)x)), mean = v.Average(x => (double)x), var = v.Average(x => (x - mean) * (x - mean));
        Assert.True(max <= bound && max >= bound * (1 - 20.0 / v.Length), $"{what}: max |w| = {max:R}, bound {bound:R}");
        double rel = 5 * Math.Sqrt(0.8 / v.Length);
        Assert.True(Math.Abs(var / (bound * bound / 3) - 1) <= rel, $"{what}: variance {var:R}, expected {bound * bound / 3:R} ± {rel:P1}");
    }

    private static Linear[] Linears(Module m) => m.NamedModules().Select(x => x.Module).OfType<Linear>().ToArray();

    [Theory]
    [InlineData("siren:256x3", 30.0)]
    [InlineData("spder:256x2", 30.0)]
    [InlineData("finer:256x2,omega=10", 10.0)]
    public void SineKindsUseSirensInitialisation(string text, double omega)
    {
        var net = ModelSpec.Parse(text).Build(2, 1, new Rng(3));
        var linears = Linears(net);
        AssertUniform(linears[0].Weight, 1.0 / 2, $"{text} first layer");
        for (int i = 1; i < linears.Length; i++)
            AssertUniform(linears[i].Weight, Math.Sqrt(6.0 / 256) / omega, $"{text} layer {i}");
    }

    [Fact]
    public void FinerDrawsTheFirstBiasFromItsScale()
    {
        var net = ModelSpec.Parse("finer:512x1,bias=5").Build(2, 1, new Rng(4));
        AssertUniform(Linears(net)[0].Bias!, 5, "finer first bias");
    }

    [Theory]
    [InlineData("gauss:256x2")]
    [InlineData("gabor:256x2")]
    public void GaussianAndGaborKeepPyTorchsDefault(string text)
    {
        var linears = Linears(ModelSpec.Parse(text).Build(2, 3, new Rng(5)));
        AssertUniform(linears[1].Weight, 1 / 16.0, $"{text} hidden layer");
    }

    [Fact]
    public void SirenActivationsKeepTheirDistributionThroughDepth()
    {
        // SIREN's claim (supplement 1.3): with this initialisation every sine layer's output is arcsine-like with
        // variance ≈ 1/2 at any depth. Here the bias U(±1/16)·ω₀ adds a spread; E[sin²] = (1 − e⁻²·sin(3.75)/3.75)/2 ≈ 0.51.
        var net = (Sequential)ModelSpec.Parse("siren:256x4").Build(2, 1, new Rng(6));
        var rng = new Rng(7);
        var x = new float[4096 * 2];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * rng.NextDouble() - 1);
        var h = Tensor.FromArray(x, 4096, 2);
        var layers = net.NamedChildren().Select(c => c.Module).ToArray();
        for (int i = 0; i < layers.Length - 1; i++)
        {
            h = layers[i].Call(h);
            if (i % 2 == 0 || i < 3) continue;
            var v = h.ToArray();
            double mean = v.Average(a => (double)a), var = v.Average(a => (a - mean) * (a - mean));
            // Each unit's mean over the points is sin(ω₀b)·e^(−1/2) for its fixed bias b, so the mean over 256 units
            // spreads by ≈ 0.6·0.6/√256 ≈ 0.023: 0.1 is four of those.
            Assert.True(Math.Abs(mean) < 0.1 && var > 0.46 && var < 0.56, $"sine layer {i / 2}: mean {mean:R}, variance {var:R}; expected ≈ 0 and ≈ 0.51");
        }
    }

    [Fact]
    public void EncodingsParsePrintBackAndSizeTheirOutput()
    {
        Assert.Equal(CoordinateEncoding.None, CoordinateEncoding.Parse("none"));
        var pe = CoordinateEncoding.Parse(" PE(10) ");
        Assert.Equal("pe(10)", pe.ToString());
        Assert.Equal(42, pe.OutputFeatures(2));
        var ff = CoordinateEncoding.Parse("fourier(10, 256)");
        Assert.Equal("fourier(10,256)", ff.ToString());
        Assert.Equal(ff, CoordinateEncoding.Parse(ff.ToString()));
        Assert.Equal(512, ff.OutputFeatures(2));
        foreach (var bad in new[] { "pe(0)", "pe", "fourier(10)", "fourier(-1,8)", "fourier(1,0)", "wavelet(3)" })
        {
            var e = Assert.Throws<InvalidInputException>(() => CoordinateEncoding.Parse(bad));
            Assert.Contains("--encoding '" + bad + "'", e.Message);
        }
    }
}
