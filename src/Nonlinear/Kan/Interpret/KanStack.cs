using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>
/// The KAN tools' view of a network: a chain of <see cref="KanLayer"/>s applied one after another (pykan's
/// [n₀, n₁, …] KAN). Found in a <see cref="KanNetwork"/>, a <see cref="Sequential"/> of KAN layers, or given as a list.
/// </summary>
public static class KanStack
{
    /// <summary>The KAN layers of <paramref name="model"/>: itself, a KanNetwork's layers, or the children of a Sequential of KAN layers.</summary>
    /// <exception cref="ArgumentException">The model is not a KAN layer or a Sequential of KAN layers with chaining widths.</exception>
    public static IReadOnlyList<KanLayer> Layers(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        List<KanLayer?> found = model switch
        {
            KanLayer k => [k],
            KanNetwork net => net.Layers.Select(l => (KanLayer?)l).ToList(),
            _ => model.NamedChildren().Select(c => c.Module as KanLayer).ToList(),
        };
        if (found.Count == 0 || found.Any(l => l is null))
            throw new ArgumentException($"the KAN tools need a KanLayer or a Sequential of KanLayers only; got {model.GetType().Name} with children [{string.Join(", ", model.NamedChildren().Select(c => c.Module.GetType().Name))}].", nameof(model));
        var layers = found.Select(l => l!).ToList();
        Check(layers);
        return layers;
    }

    /// <summary>Checks that each layer's inputs match the previous layer's outputs.</summary>
    /// <exception cref="ArgumentException">Widths do not chain.</exception>
    public static void Check(IReadOnlyList<KanLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("layers is empty.", nameof(layers));
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].InFeatures != layers[l - 1].OutFeatures)
                throw new ArgumentException($"layer {l} has {layers[l].InFeatures} inputs but layer {l - 1} has {layers[l - 1].OutFeatures} outputs.", nameof(layers));
    }

    /// <summary>Runs x [N, n₀] through the layers, returning the output and each layer's input (layer 0's is x).</summary>
    public static (Tensor Output, Tensor[] Inputs) Forward(IReadOnlyList<KanLayer> layers, Tensor x)
    {
        Check(layers);
        ArgumentNullException.ThrowIfNull(x);
        var inputs = new Tensor[layers.Count];
        var h = x;
        for (int l = 0; l < layers.Count; l++)
        {
            inputs[l] = h;
            h = layers[l].Call(h);
        }
        return (h, inputs);
    }

    /// <summary>"[2, 5, 1]": the widths.</summary>
    public static string Shape(IReadOnlyList<KanLayer> layers)
        => "[" + string.Join(", ", layers.Select(l => l.InFeatures).Append(layers[^1].OutFeatures)) + "]";
}
