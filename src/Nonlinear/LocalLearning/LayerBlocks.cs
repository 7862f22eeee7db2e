using Nonlinear.Layers;

namespace Nonlinear.LocalLearning;

/// <summary>Splits an MLP (Linear, activation…, Linear, …, Linear) into its hidden blocks and its output layer.</summary>
internal static class LayerBlocks
{
    /// <summary>The hidden Linears, the modules after each, and the output Linear.</summary>
    /// <exception cref="InvalidInputException">Not a Sequential of that shape, or one without a hidden layer.</exception>
    public static (Linear[] Hidden, Module[][] Activations, Linear Output) Split(Module model, string rule)
    {
        if (model is not Sequential seq || seq.Count == 0 || seq[0] is not Linear || seq[seq.Count - 1] is not Linear)
            throw new InvalidInputException($"{rule} trains MLPs (Linear, activation, …, Linear, e.g. --model mlp:500,500); got {model?.GetType().Name}.", nameof(model));
        var linears = new List<Linear>();
        var acts = new List<Module[]>();
        for (int i = 0; i < seq.Count;)
        {
            linears.Add((Linear)seq[i++]);
            var after = new List<Module>();
            while (i < seq.Count && seq[i] is not Linear) after.Add(seq[i++]);
            acts.Add(after.ToArray());
        }
        if (linears.Count < 2)
            throw new InvalidInputException($"{rule} needs at least one hidden layer (e.g. --model mlp:500,500); got a linear model.", nameof(model));
        return (linears.Take(linears.Count - 1).ToArray(), acts.Take(acts.Count - 1).ToArray(), linears[^1]);
    }
}
