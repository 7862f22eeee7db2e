using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// A stack of <see cref="KanLayer"/>s with widths [n_0, n_1, …, n_L] (pykan's KAN(width=[2,5,1])): layer l maps
/// n_l inputs to n_{l+1} outputs, y = Φ_{L−1}∘…∘Φ_0(x). Layers are registered as "layers.0", "layers.1", ….
/// </summary>
public sealed class KanNetwork : Module
{
    private readonly KanLayer[] _layers;

    /// <summary>The widths, input first.</summary>
    public IReadOnlyList<int> Widths { get; }
    /// <summary>The layers, input side first.</summary>
    public IReadOnlyList<KanLayer> Layers => _layers;

    /// <summary>Builds the layers in order, each initialised from <paramref name="rng"/>.</summary>
    public KanNetwork(IReadOnlyList<int> widths, KanOptions? options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(rng);
        if (widths.Count < 2) throw new ArgumentException($"widths needs at least an input and an output width; got [{string.Join(",", widths)}].", nameof(widths));
        for (int l = 0; l < widths.Count; l++)
            if (widths[l] <= 0) throw new ArgumentException($"widths[{l}] = {widths[l]}; every width must be > 0.", nameof(widths));
        Widths = widths.ToArray();
        _layers = new KanLayer[widths.Count - 1];
        var container = new LayerList();
        for (int l = 0; l < _layers.Length; l++) _layers[l] = container.Add(new KanLayer(widths[l], widths[l + 1], options, rng));
        RegisterModule("layers", container);
    }

    private KanNetwork(KanLayer[] layers)
    {
        _layers = layers;
        Widths = [layers[0].InFeatures, .. layers.Select(l => l.OutFeatures)];
        var container = new LayerList();
        foreach (var l in layers) container.Add(l);
        RegisterModule("layers", container);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in _layers) x = layer.Call(x);
        return x;
    }

    /// <summary>Sets <see cref="KanLayer.RecordEdgeStatistics"/> on every layer.</summary>
    public void RecordEdgeStatistics(bool on)
    {
        foreach (var l in _layers) l.RecordEdgeStatistics = on;
    }

    /// <summary>The input each layer sees for the batch <paramref name="x"/> [N, n_0] (no gradients recorded).</summary>
    public Tensor[] LayerInputs(Tensor x)
    {
        using var _ = Autograd.NoGrad();
        var inputs = new Tensor[_layers.Length];
        for (int l = 0; l < _layers.Length; l++) { inputs[l] = x; x = _layers[l].Call(x); }
        return inputs;
    }

    /// <summary>pykan's update_grid: each layer's grid follows its inputs for the batch <paramref name="x"/>, layer by layer.</summary>
    public void UpdateGrid(Tensor x)
    {
        using var _ = Autograd.NoGrad();
        foreach (var layer in _layers)
        {
            layer.UpdateGridFromSamples(x);
            x = layer.Call(x);
        }
    }

    /// <summary>pykan's refine(new_grid): a new network whose layers have <paramref name="gridSize"/> B-spline intervals, fitted to this one on <paramref name="x"/>'s activations.</summary>
    public KanNetwork Refine(int gridSize, Tensor x)
    {
        var inputs = LayerInputs(x);
        return new KanNetwork(_layers.Select((l, i) => l.Refine(gridSize, inputs[i])).ToArray());
    }

    /// <summary>"KanNetwork([2, 5, 1], bspline(G=5, k=3))".</summary>
    public override string ToString() => $"KanNetwork([{string.Join(", ", Widths)}], {string.Join("+", _layers[0].Spaces)})";

    // Holds the layers under "layers.<index>" like Sequential, without Sequential's forward.
    private sealed class LayerList : Module
    {
        private int _count;
        public KanLayer Add(KanLayer layer) => RegisterModule((_count++).ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        public override Tensor Forward(Tensor x) => throw new InvalidOperationException("LayerList is a container; call KanNetwork.Forward.");
    }
}
