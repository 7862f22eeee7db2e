using System.Text.Json;
using Nonlinear.Training.Inr;
using Xunit;

namespace Nonlinear.Tests.Inr;

/// <summary>
/// PSNR, SSIM and the image derivatives against scikit-image and scipy (fixtures/inr_image_metrics.json, written by
/// tools/golden/inr_image_metrics.py). Both sides compute in double from the same float32 pixels, so they agree to
/// the rounding of a few hundred double operations (≲ 1e-13); 1e-10 leaves margin and still catches any change of
/// window, constants, border or averaging (those move SSIM in the third decimal or earlier).
/// </summary>
public class ImageMetricsTests
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "inr_image_metrics.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    [Fact]
    public void PsnrAndSsimMatchScikitImage()
    {
        foreach (var c in Root.GetProperty("cases").EnumerateArray())
        {
            int h = c.GetProperty("h").GetInt32(), w = c.GetProperty("w").GetInt32(), ch = c.GetProperty("c").GetInt32();
            var a = Floats(c.GetProperty("a"));
            var b = Floats(c.GetProperty("b"));
            double psnr = c.GetProperty("psnr").GetDouble(), ssim = c.GetProperty("ssim").GetDouble();
            Assert.True(Math.Abs(ImageMetrics.Psnr(a, b) - psnr) <= 1e-10 * psnr, $"{h}×{w}×{ch}: PSNR {ImageMetrics.Psnr(a, b):R}, skimage {psnr:R}");
            double ours = ImageMetrics.Ssim(a, b, h, w, ch);
            Assert.True(Math.Abs(ours - ssim) <= 1e-10, $"{h}×{w}×{ch}: SSIM {ours:R}, skimage {ssim:R}");
        }
    }

    [Fact]
    public void IdenticalImagesGiveSsimOneAndInfinitePsnr()
    {
        var c = Root.GetProperty("cases")[0];
        var a = Floats(c.GetProperty("a"));
        Assert.Equal(double.PositiveInfinity, ImageMetrics.Psnr(a, a));
        Assert.Equal(1.0, ImageMetrics.Ssim(a, a, 16, 16, 1), 12);
    }

    [Fact]
    public void SsimRefusesImagesSmallerThanTheWindow()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(new float[100], new float[100], 10, 10, 1));
        Assert.Contains("11×11", e.Message);
    }

    [Fact]
    public void SobelAndLaplacianMatchScipyInCoordinateUnits()
    {
        var d = Root.GetProperty("derivatives");
        int h = d.GetProperty("h").GetInt32(), w = d.GetProperty("w").GetInt32();
        var x = Floats(d.GetProperty("x"));
        var spacing = (2.0 / (h - 1), 2.0 / (w - 1));
        var g = ImageGradients.Sobel(x, h, w, 1, spacing);
        var l = ImageGradients.Laplacian(x, h, w, 1, spacing);
        var sr = Floats(d.GetProperty("sobel_r"));
        var sc = Floats(d.GetProperty("sobel_c"));
        var lap = Floats(d.GetProperty("laplace"));
        // Ours are double sums rounded once to float (and the fixture's doubles read as floats): ≤ 2 float ulps apart.
        for (int p = 0; p < h * w; p++)
        {
            Assert.True(Math.Abs(g[2 * p] - sr[p]) <= 2.4e-7 * (1 + Math.Abs(sr[p])), $"∂/∂r at {p}: {g[2 * p]:R} vs scipy {sr[p]:R}");
            Assert.True(Math.Abs(g[2 * p + 1] - sc[p]) <= 2.4e-7 * (1 + Math.Abs(sc[p])), $"∂/∂c at {p}: {g[2 * p + 1]:R} vs scipy {sc[p]:R}");
            Assert.True(Math.Abs(l[p] - lap[p]) <= 2.4e-7 * (1 + Math.Abs(lap[p])), $"Δ at {p}: {l[p]:R} vs scipy {lap[p]:R}");
        }
    }
}
