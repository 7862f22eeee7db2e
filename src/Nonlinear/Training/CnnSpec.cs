using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// "cnn:C1,C2,…": a small convolutional classifier for single-channel square images given as flat rows (digits 8×8,
/// Fashion-MNIST 28×28): per width Cᵢ a 3×3 convolution with padding 1, the activation and a 2×2 max pooling (while the
/// image is at least 2×2), then flatten and one linear layer to the classes. The side is √features.
/// </summary>
public static class CnnSpec
{
    private const string Form = "expected cnn:C1,C2,… with positive channel counts, e.g. cnn:16,32";

    /// <summary>True when <paramref name="spec"/> names a CNN ("cnn" or "cnn:…").</summary>
    public static bool IsCnn(string spec) =>
        spec.Trim().StartsWith("cnn:", StringComparison.OrdinalIgnoreCase) || spec.Trim().Equals("cnn", StringComparison.OrdinalIgnoreCase);

    /// <summary>The channel counts of "cnn:C1,C2,…".</summary>
    /// <exception cref="ArgumentException">No channels, or a count outside [1, 4096].</exception>
    public static int[] Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim();
        string rest = s.Length > 4 ? s[4..] : "";
        if (!IsCnn(s) || rest.Trim().Length == 0) throw new InvalidInputException($"--model '{spec}': {Form}.");
        var parts = rest.Split(',');
        var channels = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), out channels[i]) || channels[i] < 1 || channels[i] > 4096)
                throw new InvalidInputException($"--model '{spec}': channel count '{parts[i].Trim()}' is not in [1, 4096]; {Form}.");
        return channels;
    }

    /// <summary>Builds the network for <paramref name="inputs"/> = side² features and <paramref name="outputs"/> classes.</summary>
    /// <exception cref="ArgumentException">A malformed spec, or features that are not a square image.</exception>
    public static Module Build(string spec, int inputs, int outputs, Activation activation, Rng rng)
    {
        var channels = Parse(spec);
        int side = (int)Math.Round(Math.Sqrt(inputs));
        if (side * side != inputs)
            throw new InvalidInputException($"--model '{spec}': a CNN needs square single-channel images; {inputs} features is not a square.");
        var layers = new List<Module> { new ToImage(side) };
        int c = 1;
        foreach (int ch in channels)
        {
            layers.Add(new Conv2d(c, ch, 3, rng, padding: 1));
            layers.Add(new ActivationLayer(activation));
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

    // Flat rows [N, side²] as images [N, 1, side, side] (a view).
    private sealed class ToImage(int side) : Module
    {
        public override Tensor Forward(Tensor x) => Ops.Reshape(x, x.Size(0), 1, side, side);
    }
}
