using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

/// <summary>
/// A feed-forward spiking MLP: encode features [B, F] over T steps, then Linear → <see cref="LifLayer"/> per hidden
/// width and Linear → LIF read-out, then decode to scores [B, C]. The layers run layer by layer over all T steps
/// (each one fused loop), which for a feed-forward net equals snnTorch's step-by-step loop: a layer at step t reads
/// only the layer below at step t. Children are named "0", "1", … in that order (Linear, LIF, Linear, LIF, …).
/// </summary>
public sealed class SpikingNetwork : Module
{
    private readonly List<Module> _layers = [];
    private readonly Rng _encoderRng;

    /// <summary>Builds the network.</summary>
    /// <param name="inputs">F.</param>
    /// <param name="hidden">Hidden widths.</param>
    /// <param name="outputs">C.</param>
    /// <param name="steps">T.</param>
    /// <param name="options">Neuron hyper-parameters of every layer.</param>
    /// <param name="encoding">Input coding.</param>
    /// <param name="decoding">Output decoding.</param>
    /// <param name="rng">Initial weights (drawn first), then the seed of the rate encoder.</param>
    public SpikingNetwork(int inputs, IReadOnlyList<int> hidden, int outputs, int steps, LifOptions options, SpikeEncoding encoding, SpikeDecoding decoding, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(rng);
        Steps = steps;
        Encoding = encoding;
        Decoding = decoding;
        int width = inputs;
        foreach (int h in hidden.Append(outputs))
        {
            Add(new Linear(width, h, rng));
            bool last = _layers.Count == 2 * hidden.Count + 1;
            Add(new LifLayer(h, steps, options, last && decoding == SpikeDecoding.Membrane ? LifOutput.Membrane : LifOutput.Spikes));
            width = h;
        }
        _encoderRng = new Rng(rng.NextUInt64());
    }

    /// <summary>T.</summary>
    public int Steps { get; }

    /// <summary>Input coding.</summary>
    public SpikeEncoding Encoding { get; }

    /// <summary>Output decoding.</summary>
    public SpikeDecoding Decoding { get; }

    /// <summary>The layers in order (Linear, LifLayer, …).</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Scores [B, C] for features [B, F].</summary>
    public override Tensor Forward(Tensor x)
    {
        var h = Activity(x);
        return Decoding == SpikeDecoding.Count ? Ops.Sum(h, 0) : Ops.Mean(h, 0);
    }

    /// <summary>The read-out layer's spikes or membranes [T, B, C] before decoding.</summary>
    public Tensor Activity(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var h = Encoding switch
        {
            SpikeEncoding.Rate => SpikeEncoder.Rate(x, Steps, _encoderRng),
            SpikeEncoding.Latency => SpikeEncoder.Latency(x, Steps),
            _ => x,
        };
        foreach (var layer in _layers) h = layer.Call(h);
        return h;
    }

    private void Add(Module m)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
        _layers.Add(m);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"steps={Steps}, encoding={Encoding}, decoding={Decoding}";
}
