namespace Nonlinear.Interpret.Capture;

/// <summary>Activations of several modules over a whole data set, in memory, with the inputs' labels.</summary>
public sealed class CapturedActivations
{
    internal CapturedActivations(IReadOnlyList<ActivationMatrix> layers, int[]? labels, int numClasses)
    {
        Layers = layers;
        Labels = labels;
        NumClasses = numClasses;
    }

    /// <summary>One matrix per requested module, in request order.</summary>
    public IReadOnlyList<ActivationMatrix> Layers { get; }

    /// <summary>The class label of each input (not each row), or null for a regression set.</summary>
    public int[]? Labels { get; }

    /// <summary>Classes of the data set (0 for regression).</summary>
    public int NumClasses { get; }

    /// <summary>The matrix captured at the dotted <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">That module was not captured.</exception>
    public ActivationMatrix this[string name] =>
        Layers.FirstOrDefault(l => l.Name == name) ?? throw new KeyNotFoundException($"'{name}' was not captured; captured: {string.Join(", ", Layers.Select(l => l.Name))}.");
}
