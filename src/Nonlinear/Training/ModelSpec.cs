using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// Parses model descriptions such as "mlp:256,256" (hidden widths; input and output sizes come from the data)
/// and builds them. "mlp:" with no widths is a linear classifier; "kan:64" and the other KAN kinds go to
/// <see cref="Kan.KanSpec"/> (hidden widths too; the activation does not apply to them).
/// </summary>
public static class ModelSpec
{
    /// <summary>Builds the model for <paramref name="spec"/> with <paramref name="activation"/> between layers.</summary>
    /// <exception cref="ArgumentException">Malformed spec (the message names it and the expected form).</exception>
    public static Module Build(string spec, int inputs, int outputs, Activation activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Kan.KanSpec.IsKan(spec)) return Kan.KanSpec.Build(spec, inputs, outputs, rng);
        var hidden = ParseMlp(spec);
        var layers = new List<Module>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(width, h, rng));
            layers.Add(new ActivationLayer(activation));
            width = h;
        }
        layers.Add(new Linear(width, outputs, rng));
        return new Sequential(layers.ToArray());
    }

    /// <summary>Throws the error <see cref="Build"/> would for a malformed <paramref name="spec"/> (mlp or KAN kinds).</summary>
    public static void Validate(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Kan.KanSpec.IsKan(spec)) Kan.KanSpec.Parse(spec);
        else ParseMlp(spec);
    }

    /// <summary>The hidden widths of "mlp:W1,W2,…".</summary>
    public static int[] ParseMlp(string spec)
    {
        string s = spec.Trim();
        const string form = "expected mlp:W1,W2,… with positive integer widths, e.g. mlp:256,256 (or a KAN: kan:64, kan-rbf:, kan-fourier:, kan-chebyshev:, skan:)";
        if (!s.StartsWith("mlp:", StringComparison.OrdinalIgnoreCase) && !s.Equals("mlp", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--model '{spec}': unknown model kind; {form}.");
        string rest = s.Length > 4 ? s[4..] : "";
        if (rest.Trim().Length == 0) return [];
        var parts = rest.Split(',');
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), out widths[i]) || widths[i] <= 0 || widths[i] > 1 << 16)
                throw new ArgumentException($"--model '{spec}': width '{parts[i].Trim()}' is not in [1, 65536]; {form}.");
        return widths;
    }
}
