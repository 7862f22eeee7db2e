using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// Convolutional KAN layer: every output channel o at every position sums learned edge functions of the C·kh·kw
/// values under the window, y[n, o, p] = Σ_{c,i,j} φ_{o,(c,i,j)}(x[n, c, p + (i, j)]) — a <see cref="KanLayer"/> in
/// place of the convolution's dot product. x [N, C, H, W] → y [N, O, OH, OW].
/// </summary>
/// <remarks>
/// Bodner et al., "Convolutional Kolmogorov-Arnold Networks", 2024. Computed as unfold (im2col, <see cref="Ops.Unfold"/>)
/// → KanLayer over rows of C·kh·kw features (one row per sample and position) → back to NCHW; the gradient flows through
/// the same ops (fold is unfold's adjoint). Zero padding feeds the edge functions the value 0.
/// </remarks>
public sealed class ConvKan2d : Module
{
    /// <summary>Input channels C.</summary>
    public int InChannels { get; }
    /// <summary>Output channels O.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel, stride, padding and dilation.</summary>
    public Window2d Window { get; }
    /// <summary>The KAN applied at each position: C·kh·kw inputs (channel-major, then kernel row, then column) → O outputs.</summary>
    public KanLayer Kan { get; }

    /// <summary>Builds the layer; the KAN's parameters appear under "kan.".</summary>
    public ConvKan2d(int inChannels, int outChannels, Window2d window, KanOptions? options, Rng rng)
    {
        if (inChannels <= 0) throw new ArgumentException($"inChannels must be > 0; got {inChannels}.", nameof(inChannels));
        if (outChannels <= 0) throw new ArgumentException($"outChannels must be > 0; got {outChannels}.", nameof(outChannels));
        window.Validate();
        InChannels = inChannels;
        OutChannels = outChannels;
        Window = window;
        Kan = RegisterModule("kan", new KanLayer(inChannels * window.Taps, outChannels, options, rng));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Size(1) != InChannels)
            throw new ArgumentException($"ConvKan2d expects x [N, {InChannels}, H, W]; got {Shapes.Format(x.Shape)}.", nameof(x));
        int n = x.Size(0);
        var (oh, ow) = Window.OutputSize(x.Size(2), x.Size(3));
        var cols = Ops.Unfold(x, Window);                                     // [N, C·kh·kw, L]
        var rows = Ops.Reshape(Ops.Transpose(cols, 1, 2), -1, Kan.InFeatures); // [N·L, C·kh·kw]
        var y = Kan.Call(rows);                                                // [N·L, O]
        return Ops.Reshape(Ops.Transpose(Ops.Reshape(y, n, oh * ow, OutChannels), 1, 2), n, OutChannels, oh, ow);
    }

    /// <summary>"ConvKan2d(C→O, window, basis)".</summary>
    public override string ToString() => $"ConvKan2d({InChannels}→{OutChannels}, {Window}, {string.Join("+", Kan.Spaces)})";
}
