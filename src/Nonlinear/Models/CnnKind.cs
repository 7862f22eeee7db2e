using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// "cnn:C1,C2,…": a small convolutional classifier for single-channel square images given as flat rows (digits 8×8,
/// Fashion-MNIST 28×28): per width Cᵢ a 3×3 convolution with padding 1, the activation (learnable units get Cᵢ channels)
/// and a 2×2 max pooling (while the image is at least 2×2), then flatten and one linear layer to the classes. The side is √features.
/// </summary>
public sealed class CnnKind : ModelKind
{
    /// <inheritdoc/>
    public override string Name => "cnn";

    /// <inheritdoc/>
    public override string Form => "cnn:C1,C2,… channel counts, e.g. cnn:16,32 (3×3 conv + activation + 2×2 max-pool each; square single-channel images)";

    /// <inheritdoc/>
    public override string WidthWord => "channel count";

    /// <inheritdoc/>
    public override int MaxWidth => 4096;

    /// <inheritdoc/>
    public override bool AllowsNoWidths => false;

    /// <inheritdoc/>
    public override Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(activation);
        int side = (int)Math.Round(Math.Sqrt(inputs));
        if (side * side != inputs)
            throw new InvalidInputException($"--model '{spec}': a CNN needs square single-channel images; {inputs} features is not a square.", nameof(inputs));
        var layers = new List<Module> { new ToImage(side) };
        int c = 1;
        foreach (int ch in spec.Widths)
        {
            layers.Add(new Conv2d(c, ch, 3, rng, padding: 1));
            layers.Add(activation(ch));
            if (side >= 2)
            {
                layers.Add(new MaxPool2d(2));
                side /= 2;
            }
            c = ch;
        }
        layers.Add(new Flatten());
        layers.Add(new Linear(c * side * side, outputs, rng));
        return new Sequential(layers.ToArray());
    }

    // Flat rows [N, side²] as images [N, 1, side, side] (a view). Internal so the ONNX exporter can write it as a Reshape.
    internal sealed class ToImage(int side) : Module
    {
        public int Side => side;

        public override Tensor Forward(Tensor x) => Ops.Reshape(x, x.Size(0), 1, side, side);
    }
}
