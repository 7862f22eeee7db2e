using Nonlinear.IO;
using Nonlinear.Training.Inr;
using SkiaSharp;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// PNG in and out for `fit --image` (SkiaSharp lives in the CLI; the library only sees float arrays): decoding to gray
/// or RGB in [0, 1], area-average downscaling, sample names, and writing float images back as PNGs atomically.
/// </summary>
internal static class FitImageFile
{
    /// <summary>Where Debian's python3-skimage keeps its sample images.</summary>
    public const string SkimageData = "/usr/lib/python3/dist-packages/skimage/data";

    /// <summary>The bundled fallback for "camera", relative to the executable or a checkout.</summary>
    public const string Bundled = "data/images/camera-64.png";

    /// <summary>
    /// The file for --image: a path, or a scikit-image sample name ("camera", "astronaut", "coins", …) found in
    /// <see cref="SkimageData"/>; "camera" falls back to the bundled 64×64 copy when scikit-image is not installed.
    /// </summary>
    public static (string Path, string Note) Resolve(string image, string skimageDir = SkimageData)
    {
        if (File.Exists(image) || image.Contains('/') || image.Contains('\\') || image.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            CliPaths.RequireInputFile("--image", image);
            return (image, "");
        }
        string sample = Path.Combine(skimageDir, image.ToLowerInvariant() + ".png");
        if (File.Exists(sample)) return (sample, $"scikit-image sample '{image}'");
        if (image.Equals("camera", StringComparison.OrdinalIgnoreCase))
        {
            foreach (string baseDir in new[] { AppContext.BaseDirectory }.Concat(Parents(Directory.GetCurrentDirectory())))
            {
                string p = Path.Combine(baseDir, Bundled);
                if (File.Exists(p)) return (p, "bundled 64×64 camera (scikit-image is not installed; see data/images/README.md)");
            }
            throw new FileNotFoundException($"--image camera: neither {sample} nor the bundled {Bundled} was found.", sample);
        }
        throw new InvalidInputException($"--image '{image}': no such file, and not a scikit-image sample in {skimageDir} (install python3-skimage for astronaut, coins, moon, …; 'camera' is bundled).", "image");
    }

    /// <summary>
    /// Decodes <paramref name="path"/> to an image in [0, 1]: one channel when every pixel is gray (R = G = B), else RGB
    /// (alpha ignored). When <paramref name="size"/> is smaller than the longer side, the image is area-averaged down so
    /// that side is <paramref name="size"/> (the aspect ratio kept); it is never enlarged.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a decodable image.</exception>
    public static ImageTarget Load(string path, int size)
    {
        using var decoded = SKBitmap.Decode(path) ?? throw new InvalidDataException($"--image '{path}': not a decodable image (PNG, JPEG, …).");
        using var bmp = decoded.ColorType == SKColorType.Rgba8888 && decoded.AlphaType == SKAlphaType.Unpremul ? decoded.Copy() : decoded.Copy(SKColorType.Rgba8888);
        int h = bmp.Height, w = bmp.Width;
        var px = bmp.GetPixelSpan();
        bool gray = true;
        for (int p = 0; p < h * w && gray; p++) gray = px[4 * p] == px[4 * p + 1] && px[4 * p] == px[4 * p + 2];
        int c = gray ? 1 : 3;
        var v = new float[h * w * c];
        for (int p = 0; p < h * w; p++)
            for (int ch = 0; ch < c; ch++) v[p * c + ch] = px[4 * p + ch] / 255f;
        int longer = Math.Max(h, w);
        if (size < longer)
        {
            int nh = Math.Max(2, (int)Math.Round((double)h * size / longer)), nw = Math.Max(2, (int)Math.Round((double)w * size / longer));
            v = Downscale(v, h, w, c, nh, nw);
            (h, w) = (nh, nw);
        }
        return new ImageTarget(v, h, w, c);
    }

    /// <summary>Area-average resampling to a smaller size: each output pixel is the mean of the input area it covers (fractional edges weighted).</summary>
    public static float[] Downscale(float[] v, int h, int w, int c, int nh, int nw)
    {
        var rows = new float[h * nw * c];
        for (int i = 0; i < h; i++) Resample1d(v, i * w * c, c, w, rows, i * nw * c, c, nw);
        var outp = new float[nh * nw * c];
        for (int j = 0; j < nw * c; j++) Resample1d(rows, j, nw * c, h, outp, j, nw * c, nh);
        return outp;
    }

    // One line of n samples (stride s) to m ≤ n samples (stride t), averaging over each output cell's interval of the input.
    private static void Resample1d(float[] src, int offset, int s, int n, float[] dst, int dOffset, int t, int m)
    {
        double scale = (double)n / m;
        for (int k = 0; k < m; k++)
        {
            double a = k * scale, b = (k + 1) * scale, acc = 0;
            for (int q = (int)Math.Floor(a); q < Math.Min(n, (int)Math.Ceiling(b)); q++)
                acc += src[offset + q * s] * (Math.Min(b, q + 1) - Math.Max(a, q));
            dst[dOffset + k * t] = (float)Math.Clamp(acc / scale, 0, 1);
        }
    }

    /// <summary>Writes an image in [0, 1] (1 or 3 channels, values clamped) as an 8-bit PNG, atomically.</summary>
    public static void WritePng(string path, ReadOnlySpan<float> v, int h, int w, int c)
    {
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var px = bmp.GetPixelSpan().ToArray();
        for (int p = 0; p < h * w; p++)
        {
            for (int ch = 0; ch < 3; ch++) px[4 * p + ch] = (byte)Math.Round(Math.Clamp(v[p * c + (c == 1 ? 0 : ch)], 0f, 1f) * 255);
            px[4 * p + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(px, 0, bmp.GetPixels(), px.Length);
        using var image = SKImage.FromBitmap(bmp);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, data.ToArray());
    }

    private static IEnumerable<string> Parents(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent) yield return d.FullName;
    }
}
