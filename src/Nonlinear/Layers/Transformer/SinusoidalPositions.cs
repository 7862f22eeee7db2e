using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// Fixed positional encoding of Vaswani et al. 2017 (https://arxiv.org/abs/1706.03762):
/// PE[t, 2i] = sin(t / 10000^(2i/D)), PE[t, 2i+1] = cos(t / 10000^(2i/D)), computed in double, stored as a buffer.
/// </summary>
public static class SinusoidalPositions
{
    /// <summary>The table [<paramref name="context"/>, <paramref name="width"/>].</summary>
    public static Tensor Table(int context, int width)
    {
        if (context <= 0 || width <= 0) throw new ArgumentException($"context and width must be > 0; got {context}, {width}.");
        var pe = new float[context * width];
        for (int t = 0; t < context; t++)
            for (int c = 0; c < width; c++)
            {
                double angle = t / Math.Pow(10000, 2 * (c / 2) / (double)width);
                pe[t * width + c] = (float)(c % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        return Tensor.FromArray(pe, context, width);
    }
}
