namespace Nonlinear.Training.Inr;

/// <summary>
/// Spatial derivatives of an image in the network's coordinate units (<see cref="ImageTarget.Spacing"/>), the targets of
/// SIREN's Poisson image reconstruction. Borders reflect (scipy.ndimage's mode "reflect": d c b a | a b c d).
/// </summary>
public static class ImageGradients
{
    /// <summary>
    /// The Sobel gradient (∂/∂r, ∂/∂c) of <paramref name="values"/> [H·W·C] at every pixel, [H·W·C·2]: scipy.ndimage.sobel
    /// along each axis divided by 8·spacing, i.e. the central difference smoothed by (1, 2, 1)/4 across it.
    /// </summary>
    public static float[] Sobel(float[] values, int height, int width, int channels, (double Row, double Column) spacing)
    {
        ArgumentNullException.ThrowIfNull(values);
        Check(values, height, width, channels);
        var g = new float[values.Length * 2];
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j++)
                for (int ch = 0; ch < channels; ch++)
                {
                    double V(int di, int dj) => values[(Reflect(i + di, height) * width + Reflect(j + dj, width)) * channels + ch];
                    double dr = V(1, -1) + 2 * V(1, 0) + V(1, 1) - V(-1, -1) - 2 * V(-1, 0) - V(-1, 1);
                    double dc = V(-1, 1) + 2 * V(0, 1) + V(1, 1) - V(-1, -1) - 2 * V(0, -1) - V(1, -1);
                    int p = (i * width + j) * channels + ch;
                    g[2 * p] = (float)(dr / (8 * spacing.Row));
                    g[2 * p + 1] = (float)(dc / (8 * spacing.Column));
                }
        return g;
    }

    /// <summary>The 5-point Laplacian ∂²/∂r² + ∂²/∂c² of <paramref name="values"/> [H·W·C], [H·W·C] (scipy.ndimage.laplace over the spacings²).</summary>
    public static float[] Laplacian(float[] values, int height, int width, int channels, (double Row, double Column) spacing)
    {
        ArgumentNullException.ThrowIfNull(values);
        Check(values, height, width, channels);
        var l = new float[values.Length];
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j++)
                for (int ch = 0; ch < channels; ch++)
                {
                    double V(int di, int dj) => values[(Reflect(i + di, height) * width + Reflect(j + dj, width)) * channels + ch];
                    double c = V(0, 0);
                    l[(i * width + j) * channels + ch] = (float)((V(-1, 0) - 2 * c + V(1, 0)) / (spacing.Row * spacing.Row)
                        + (V(0, -1) - 2 * c + V(0, 1)) / (spacing.Column * spacing.Column));
                }
        return l;
    }

    private static int Reflect(int k, int n) => k < 0 ? -k - 1 : k >= n ? 2 * n - k - 1 : k;

    private static void Check(float[] values, int height, int width, int channels)
    {
        if (height < 2 || width < 2 || channels < 1 || values.Length != height * width * channels)
            throw new ArgumentException($"expected {height}×{width}×{channels} values (at least 2×2); got {values.Length}.", nameof(values));
    }
}
