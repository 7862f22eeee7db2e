using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
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
        if (CnnSpec.IsCnn(spec)) return CnnSpec.Build(spec, inputs, outputs, activation, rng);
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

    /// <summary>
    /// Builds the model with the activation given by spec: a catalog activation ("gelu", "elu(alpha=0.5)") becomes one
    /// parameter-free <see cref="ActivationLayer"/> per hidden layer; a learnable unit ("prelu", "pau(5,4)", "snake(a=0.5)",
    /// see <see cref="LearnableActivations"/>) becomes its own module per hidden layer, sized by that layer's width, whose
    /// parameters are trained and checkpointed with the weights. Learnable units draw nothing from <paramref name="rng"/>,
    /// so the Linear weights equal those of a catalog-activation model with the same seed.
    /// </summary>
    /// <param name="spec">Model spec, as for the overload with an <see cref="Activation"/>.</param>
    /// <param name="inputs">Input features.</param>
    /// <param name="outputs">Output features.</param>
    /// <param name="activation">Catalog activation or learnable unit, with optional parameters.</param>
    /// <param name="rng">Source of the initial weights.</param>
    /// <param name="warn">Receives each distinct warning once (e.g. a rational fit's out-of-range divergence).</param>
    /// <exception cref="ArgumentException">Malformed model or activation spec (unknown names get "did you mean").</exception>
    public static Module Build(string spec, int inputs, int outputs, string activation, Rng rng, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(spec);
        if (!LearnableActivations.IsLearnable(activation))
            return Build(spec, inputs, outputs, ActivationCatalog.Parse(activation), rng);
        // Model kinds other than mlp (and malformed specs) go through the other overload, which owns them; the
        // activation layers are this overload's only business.
        if (!spec.Trim().StartsWith("mlp", StringComparison.OrdinalIgnoreCase))
            return Build(spec, inputs, outputs, ActivationCatalog.Parse("identity"), rng);
        var hidden = ParseMlp(spec);
        var seen = new HashSet<string>();
        var layers = new List<Module>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(width, h, rng));
            layers.Add(LearnableActivations.Create(activation, h, w => { if (seen.Add(w)) warn?.Invoke(w); }));
            width = h;
        }
        layers.Add(new Linear(width, outputs, rng));
        return new Sequential(layers.ToArray());
    }

    /// <summary>Throws the error <see cref="Build(string, int, int, string, Rng, Action{string}?)"/> would give for a bad activation spec.</summary>
    public static void ValidateActivation(string activation) => LearnableActivations.Validate(activation);

    /// <summary>Throws the error <see cref="Build(string, int, int, Activation, Rng)"/> would for a malformed <paramref name="spec"/> (mlp, cnn or KAN kinds).</summary>
    public static void Validate(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (CnnSpec.IsCnn(spec)) CnnSpec.Parse(spec);
        else if (Kan.KanSpec.IsKan(spec)) Kan.KanSpec.Parse(spec);
        else ParseMlp(spec);
    }

    /// <summary>The hidden widths of "mlp:W1,W2,…".</summary>
    public static int[] ParseMlp(string spec)
    {
        string s = spec.Trim();
        const string form = "expected mlp:W1,W2,… with positive integer widths, e.g. mlp:256,256 (or a KAN: kan:64, kan-rbf:, kan-fourier:, kan-chebyshev:, skan:)";
        if (!s.StartsWith("mlp:", StringComparison.OrdinalIgnoreCase) && !s.Equals("mlp", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"--model '{spec}': unknown model kind; {form}.");
        string rest = s.Length > 4 ? s[4..] : "";
        if (rest.Trim().Length == 0) return [];
        var parts = rest.Split(',');
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), out widths[i]) || widths[i] <= 0 || widths[i] > 1 << 16)
                throw new InvalidInputException($"--model '{spec}': width '{parts[i].Trim()}' is not in [1, 65536]; {form}.");
        return widths;
    }
}
