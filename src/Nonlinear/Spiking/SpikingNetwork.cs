using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

/// <summary>
/// A feed-forward spiking MLP: encode features [B, F] over T steps, then Linear → <see cref="LifLayer"/> per hidden
/// width and Linear → LIF read-out, then decode to scores [B, C]. The layers run layer by layer over all T steps
/// (each one fused loop), which for a feed-forward net equals snnTorch's step-by-step loop: a layer at step t reads
/// only the layer below at step t. Children are named "0", "1", … in that order (Linear, LIF, Linear, LIF, …).
/// Training goes through <see cref="ScoresAndLoss"/> (<see cref="SpikeLoss"/>: by default the per-step membrane
/// cross-entropy of snnTorch tutorial 5, while the prediction is the spike count).
/// </summary>
public sealed class SpikingNetwork : Module, IClassifierLoss
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
    /// <param name="loss">The training loss.</param>
    public SpikingNetwork(int inputs, IReadOnlyList<int> hidden, int outputs, int steps, LifOptions options, SpikeEncoding encoding, SpikeDecoding decoding, Rng rng,
        SpikeLoss loss = SpikeLoss.Membrane)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(rng);
        Steps = steps;
        Encoding = encoding;
        Decoding = decoding;
        Loss = loss;
        // The read-out layer returns what carries the gradient: its membrane for either membrane use, else its spikes.
        var readOut = loss == SpikeLoss.Membrane || decoding == SpikeDecoding.Membrane ? LifOutput.Membrane : LifOutput.Spikes;
        int width = inputs;
        foreach (int h in hidden.Append(outputs))
        {
            Add(new Linear(width, h, rng));
            bool last = _layers.Count == 2 * hidden.Count + 1;
            Add(new LifLayer(h, steps, options, last ? readOut : LifOutput.Spikes));
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

    /// <summary>The training loss.</summary>
    public SpikeLoss Loss { get; }

    /// <summary>The layers in order (Linear, LifLayer, …).</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Scores [B, C] for features [B, F]: spike counts Σₜ S[t] or mean membranes (1/T)·Σₜ U[t].</summary>
    public override Tensor Forward(Tensor x) => Decode(Activity(x));

    /// <summary>
    /// The scores and the training loss of one batch: for <see cref="SpikeLoss.Membrane"/>, Σₜ (1/B)·Σ_b CE(U[t, b], y_b)
    /// (the loss of snnTorch tutorial 5: T times the mean over steps and samples); for <see cref="SpikeLoss.Scores"/>,
    /// the cross-entropy of the scores. With spike-count scores and the membrane loss the scores carry no gradient.
    /// </summary>
    public (Tensor Scores, Tensor Loss) ScoresAndLoss(Tensor x, int[] labels, float labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var h = Activity(x);
        var scores = Decode(h);
        if (Loss == SpikeLoss.Scores) return (scores, Losses.Loss.CrossEntropy(scores, labels, labelSmoothing));
        int steps = h.Size(0), batch = h.Size(1), classes = h.Size(2);
        if (labels.Length != batch) throw new ArgumentException($"labels has {labels.Length} entries; expected the batch size {batch}.", nameof(labels));
        var repeated = new int[steps * batch];
        for (int t = 0; t < steps; t++) labels.CopyTo(repeated, t * batch);
        var perStep = Losses.Loss.CrossEntropy(Ops.Reshape(h, steps * batch, classes), repeated, labelSmoothing);
        return (scores, perStep * steps);
    }

    // h is the read-out layer's output [T, B, C]: spikes, or membranes when a membrane is trained on or decoded.
    private Tensor Decode(Tensor h)
    {
        if (Decoding == SpikeDecoding.Membrane) return Ops.Mean(h, 0);
        var readOut = (LifLayer)_layers[^1];
        if (!readOut.ReturnsMembrane) return Ops.Sum(h, 0);
        // Counts of the spikes the read-out fired in the same pass (H has no gradient of its own to give here).
        var s = readOut.LastSpikes!;
        int bc = h.Size(1) * h.Size(2);
        var counts = new float[bc];
        for (int t = 0; t < h.Size(0); t++)
            for (int i = 0; i < bc; i++) counts[i] += s[t * bc + i];
        return new Tensor(counts, [h.Size(1), h.Size(2)]);
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
        // DFA: the output layer's error, caught on its way back, is what every hidden layer's feedback carries.
        var fb = Feedback;
        var tap = fb is { Direct: true } ? new SpikeFeedback.ErrorTap() : null;
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is LifLayer lif && i + 1 < _layers.Count && _layers[i + 1] is Linear fc)
            {
                // A hidden LIF layer (index 2h + 1) and the Linear it feeds.
                var use = fb is null ? null : new SpikeFeedback.Use(fb.Matrices[i / 2], tap);
                if (FuseLayers && lif.CanFeed(fc)) h = lif.ForwardIntoLinear(h, fc, use); // one op: the Linear runs inside the LIF loops
                else h = use is null ? fc.Call(lif.Call(h)) : SpikeFeedback.Linear(lif.Call(h), fc, use);
                i++;
            }
            else h = _layers[i].Call(h);
            if (tap is not null && i == _layers.Count - 2) h = tap.Record(h); // the output layer's currents
        }
        return h;
    }

    /// <summary>
    /// Whether a hidden LIF layer and the Linear above it run as one fused op (the default; same values up to the
    /// order of float sums). False runs every child through Call: the reference the fused path is tested against.
    /// </summary>
    internal bool FuseLayers { get; set; } = true;

    /// <summary>
    /// Fixed feedback matrices that replace the forward weights in the backward (feedback alignment); null: backpropagation.
    /// Set by LocalLearning's SpikingFeedbackAlignment for the passes it trains; the forward values do not depend on it.
    /// </summary>
    internal SpikeFeedback? Feedback
    {
        get => _feedback;
        set
        {
            if (value is not null)
            {
                int hidden = _layers.Count / 2 - 1;
                if (value.Matrices.Count != hidden)
                    throw new ArgumentException($"feedback needs one matrix per hidden layer ({hidden}); got {value.Matrices.Count}.", nameof(value));
                for (int h = 0; h < hidden; h++)
                {
                    int rows = value.Direct ? ((Linear)_layers[^2]).OutFeatures : ((Linear)_layers[2 * h + 2]).OutFeatures, cols = ((LifLayer)_layers[2 * h + 1]).Neurons;
                    var m = value.Matrices[h];
                    if (m.Rank != 2 || m.Size(0) != rows || m.Size(1) != cols)
                        throw new ArgumentException($"feedback matrix {h} must be [{rows}, {cols}]; got {Shapes.Format(m.Shape)}.", nameof(value));
                }
            }
            _feedback = value;
        }
    }

    private SpikeFeedback? _feedback;

    private void Add(Module m)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
        _layers.Add(m);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"steps={Steps}, encoding={Encoding}, decoding={Decoding}, loss={Loss}";
}
