namespace Nonlinear.Training.Inr;

/// <summary>
/// PSNR and SSIM of images in [0, 1], row-major with channels last, as scikit-image computes them
/// (skimage.metrics.peak_signal_noise_ratio with data_range = 1; structural_similarity with gaussian_weights = True,
/// sigma = 1.5, use_sample_covariance = False, data_range = 1, channel_axis = −1).
/// </summary>
public static class ImageMetrics
{
    /// <summary>Radius of the SSIM window: int(3.5·σ + 0.5) = 5 for σ = 1.5 (scipy's truncate = 3.5), so 11×11.</summary>
    public const int SsimRadius = 5;

    /// <summary>10·log10(1/MSE) in dB (∞ for identical images).</summary>
    /// <exception cref="ArgumentException">Lengths differ or are 0.</exception>
    public static double Psnr(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException($"the images must have the same, non-zero length; got {a.Length} and {b.Length}.", nameof(b));
        double se = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            se += d * d;
        }
        return 10 * Math.Log10(a.Length / se);
    }

    /// <summary>
    /// Mean SSIM (Wang, Bovik, Sheikh and Simoncelli, "Image Quality Assessment: From Error Visibility to Structural
    /// Similarity", 2004): local statistics under an 11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, averaged over
    /// the pixels whose whole window lies inside the image (scikit-image crops the same border) and over the channels.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths that do not match the size, or an image smaller than the 11×11 window.</exception>
    public static double Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int height, int width, int channels)
    {
        int r = SsimRadius;
        if (height < 2 * r + 1 || width < 2 * r + 1) throw new ArgumentException($"SSIM needs an image of at least 11×11; got {height}×{width}.", nameof(height));
        if (channels < 1 || a.Length != height * width * channels || b.Length != a.Length)
            throw new ArgumentException($"the images must have {height}×{width}×{channels} values; got {a.Length} and {b.Length}.", nameof(a));
        var w = new double[2 * r + 1];
        for (int k = -r; k <= r; k++) w[k + r] = Math.Exp(-k * k / (2 * 1.5 * 1.5));
        double sum = w.Sum();
        for (int k = 0; k < w.Length; k++) w[k] /= sum;
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        int oh = height - 2 * r, ow = width - 2 * r;
        double total = 0;
        var fields = new double[5][];
        for (int ch = 0; ch < channels; ch++)
        {
            // The five local moments E[x], E[y], E[x²], E[y²], E[xy], each filtered separably: rows, then columns.
            for (int f = 0; f < 5; f++)
            {
                var src = new double[height * width];
                for (int p = 0; p < height * width; p++)
                {
                    double x = a[p * channels + ch], y = b[p * channels + ch];
                    src[p] = f switch { 0 => x, 1 => y, 2 => x * x, 3 => y * y, _ => x * y };
                }
                fields[f] = Filter(src, height, width, w);
            }
            for (int p = 0; p < oh * ow; p++)
            {
                double mx = fields[0][p], my = fields[1][p];
                double vx = fields[2][p] - mx * mx, vy = fields[3][p] - my * my, cxy = fields[4][p] - mx * my;
                total += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        }
        return total / ((double)oh * ow * channels);
    }

    // The windowed weighted mean at every pixel whose window fits: [(H − 2r)·(W − 2r)].
    private static double[] Filter(double[] src, int height, int width, double[] w)
    {
        int r = w.Length / 2, ow = width - 2 * r, oh = height - 2 * r;
        var rows = new double[height * ow];
        for (int i = 0; i < height; i++)
            for (int j = 0; j < ow; j++)
            {
                double s = 0;
                for (int k = 0; k < w.Length; k++) s += w[k] * src[i * width + j + k];
                rows[i * ow + j] = s;
            }
        var dst = new double[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                double s = 0;
                for (int k = 0; k < w.Length; k++) s += w[k] * rows[(i + k) * ow + j];
                dst[i * ow + j] = s;
            }
        return dst;
    }
}
