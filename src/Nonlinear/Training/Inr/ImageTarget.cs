using Nonlinear.Tensors;

namespace Nonlinear.Training.Inr;

/// <summary>
/// An image to fit: <see cref="Pixels"/> in [0, 1], row-major with channels last (gray: 1 channel, RGB: 3). A coordinate
/// network sees pixel (i, j) at (r, c) = (−1 + 2i/(H − 1), −1 + 2j/(W − 1)) ∈ [−1, 1]² and predicts 2p − 1 ∈ [−1, 1]
/// per channel (SIREN's convention); metrics are taken on [0, 1].
/// </summary>
public sealed class ImageTarget
{
    /// <summary>Wraps <paramref name="pixels"/> (copied) of an <paramref name="height"/>×<paramref name="width"/> image with <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentException">A size out of range, a length that does not match, or a pixel outside [0, 1].</exception>
    public ImageTarget(float[] pixels, int height, int width, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (height < 2 || width < 2 || height > 1 << 14 || width > 1 << 14)
            throw new ArgumentException($"the image must be between 2×2 and 16384×16384 pixels; got {height}×{width}.", nameof(height));
        if (channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 (gray) or 3 (RGB); got {channels}.", nameof(channels));
        if (pixels.Length != (long)height * width * channels)
            throw new ArgumentException($"pixels has {pixels.Length} values; a {height}×{width}×{channels} image has {(long)height * width * channels}.", nameof(pixels));
        int bad = Array.FindIndex(pixels, p => !(p >= 0 && p <= 1));
        if (bad >= 0) throw new ArgumentException($"pixels must be in [0, 1]; pixels[{bad}] = {pixels[bad]}.", nameof(pixels));
        Pixels = (float[])pixels.Clone();
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>The values in [0, 1], [H·W·C] row-major, channels last.</summary>
    public float[] Pixels { get; }
    /// <summary>H.</summary>
    public int Height { get; }
    /// <summary>W.</summary>
    public int Width { get; }
    /// <summary>C (1 or 3).</summary>
    public int Channels { get; }
    /// <summary>H·W.</summary>
    public int PixelCount => Height * Width;

    /// <summary>The distance between neighbouring rows and columns in network coordinates: 2/(H − 1), 2/(W − 1).</summary>
    public (double Row, double Column) Spacing => (2.0 / (Height - 1), 2.0 / (Width - 1));

    /// <summary>(r, c) of every pixel, [H·W, 2] as a flat array.</summary>
    public float[] Coordinates()
    {
        var xy = new float[2 * PixelCount];
        for (int i = 0; i < Height; i++)
            for (int j = 0; j < Width; j++)
            {
                xy[2 * (i * Width + j)] = (float)(-1 + 2.0 * i / (Height - 1));
                xy[2 * (i * Width + j) + 1] = (float)(-1 + 2.0 * j / (Width - 1));
            }
        return xy;
    }

    /// <summary>The network's targets 2p − 1, [H·W·C].</summary>
    public float[] Targets() => Pixels.Select(p => 2 * p - 1).ToArray();

    /// <summary>The image as a tensor [H·W, C] of targets in [−1, 1].</summary>
    public Tensor TargetTensor() => Tensor.FromArray(Targets(), PixelCount, Channels);
}
