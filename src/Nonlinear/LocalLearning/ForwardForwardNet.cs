using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// A forward-forward network (Hinton 2022, arXiv:2212.13345): hidden layers Linear → activation that each see the
/// length-normalised output of the layer below (only its direction passes up, so a layer cannot read the goodness
/// of the one below), the label embedded in the first <see cref="Classes"/> input features, and a softmax read-out.
/// Parameters are named "layers.0.weight", "layers.2.weight", … (as the MLP it is built from) and "readout.weight".
/// <see cref="Module.Forward"/> classifies per <see cref="ForwardForwardOptions.Prediction"/>: summed goodness per label,
/// or read-out logits. Each layer's graph starts at its detached input, so no gradient can cross a layer.
/// </summary>
public sealed class ForwardForwardNet : Module
{
    // Hinton/mohammadpz add a small constant to the norm so an all-zero activity vector (dead layer) stays zero, not NaN.
    private const float NormEpsilon = 1e-4f;
    private readonly Linear[] _linears;
    private readonly Module[][] _activations;

    /// <summary>
    /// Takes the hidden blocks of <paramref name="mlp"/> (Linear followed by its activation modules, as `mlp:W1,W2`
    /// builds) as the forward-forward layers; the MLP's output Linear is replaced by a read-out over the scored layers'
    /// activities, initialised from <paramref name="rng"/>.
    /// </summary>
    /// <exception cref="InvalidInputException">Not an MLP with at least one hidden layer, or fewer input features than classes.</exception>
    public ForwardForwardNet(Sequential mlp, ForwardForwardOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        Options = options;
        var (linears, activations, output) = LayerBlocks.Split(mlp, "forward-forward");
        _linears = linears;
        _activations = activations;
        Classes = output.OutFeatures;
        Inputs = _linears[0].InFeatures;
        if (Inputs <= Classes)
            throw new InvalidInputException($"forward-forward writes the label into the first {Classes} input features; the data has only {Inputs}.", nameof(mlp));
        var hidden = new List<Module>();
        for (int k = 0; k < _linears.Length; k++) { hidden.Add(_linears[k]); hidden.AddRange(_activations[k]); }
        RegisterModule("layers", new Sequential(hidden.ToArray()));
        LabelValue = RegisterBuffer("label_value", Tensor.Full(options.LabelValue ?? 0f, 1));
        FirstScoredLayer = _linears.Length > 1 && !options.ScoreFirstLayer ? 1 : 0;
        int readoutInputs = _linears.Skip(FirstScoredLayer).Sum(l => l.OutFeatures);
        Readout = RegisterModule("readout", new Linear(readoutInputs, Classes, rng));
    }

    /// <summary>The hyper-parameters.</summary>
    public ForwardForwardOptions Options { get; }
    /// <summary>Number of classes (label pixels).</summary>
    public int Classes { get; }
    /// <summary>Input features, the first <see cref="Classes"/> of which are overwritten by the label.</summary>
    public int Inputs { get; }
    /// <summary>Number of forward-forward layers.</summary>
    public int LayerCount => _linears.Length;
    /// <summary>The first layer whose goodness and activity count for prediction (1 unless there is one layer or <see cref="ForwardForwardOptions.ScoreFirstLayer"/>).</summary>
    public int FirstScoredLayer { get; }
    /// <summary>[1]: the label pixels' "on" value (buffer "label_value"); 0 until <see cref="InitLabelValue"/> sets it from data.</summary>
    public Tensor LabelValue { get; }
    /// <summary>The softmax read-out over the scored layers' normalised activities.</summary>
    public Linear Readout { get; }
    /// <summary>Layer <paramref name="k"/>'s weights.</summary>
    public Linear Layer(int k) => _linears[k];

    /// <summary>Sets <see cref="LabelValue"/> to the largest |feature| of <paramref name="x"/> unless it is already set; a no-op afterwards.</summary>
    public void InitLabelValue(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (LabelValue.AsReadOnlySpan()[0] > 0) return;
        float max = 0;
        foreach (float v in x.Contiguous().AsReadOnlySpan()) if (float.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        LabelValue.AsSpan()[0] = max > 0 ? max : 1f;
    }

    private float On
    {
        get
        {
            float v = LabelValue.AsReadOnlySpan()[0];
            return v > 0 ? v : throw new InvalidOperationException("the forward-forward label value is not set: train the net (or call InitLabelValue) before predicting.");
        }
    }

    /// <summary>A copy of <paramref name="x"/> [B, Inputs] whose first <see cref="Classes"/> features are the one-hot <paramref name="labels"/> (value <see cref="LabelValue"/>).</summary>
    public Tensor EmbedLabels(Tensor x, ReadOnlySpan<int> labels)
    {
        var data = CheckedCopy(x);
        float on = On;
        if (labels.Length != x.Size(0)) throw new ArgumentException($"labels: expected {x.Size(0)} (the batch); got {labels.Length}.", nameof(labels));
        for (int b = 0; b < labels.Length; b++)
        {
            if ((uint)labels[b] >= (uint)Classes) throw new ArgumentException($"labels[{b}] must be in [0, {Classes}); got {labels[b]}.", nameof(labels));
            data.AsSpan(b * Inputs, Classes).Clear();
            data[b * Inputs + labels[b]] = on;
        }
        return Tensor.FromArray(data, x.Size(0), Inputs);
    }

    /// <summary>A copy of <paramref name="x"/> with the neutral label: every label feature <see cref="LabelValue"/>/<see cref="Classes"/>.</summary>
    public Tensor EmbedNeutral(Tensor x)
    {
        var data = CheckedCopy(x);
        float on = On;
        for (int b = 0; b < x.Size(0); b++) data.AsSpan(b * Inputs, Classes).Fill(on / Classes);
        return Tensor.FromArray(data, x.Size(0), Inputs);
    }

    /// <summary>Row-wise x/(‖x‖₂ + 1e-4), without a graph (forward-forward never differentiates through it).</summary>
    public static Tensor Normalize(Tensor h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var src = h.AsReadOnlySpan();
        int rows = h.Size(0), cols = h.Size(1);
        var dst = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            var row = src.Slice(r * cols, cols);
            double ss = 0;
            foreach (float v in row) ss += (double)v * v;
            float scale = (float)(1 / (Math.Sqrt(ss) + NormEpsilon));
            for (int c = 0; c < cols; c++) dst[r * cols + c] = row[c] * scale;
        }
        return Tensor.FromArray(dst, rows, cols);
    }

    /// <summary>
    /// Layer <paramref name="k"/> on the activity <paramref name="below"/> of the layer below (or the embedded input):
    /// activation(Linear(normalise(below))). The graph starts at the normalised, detached input.
    /// </summary>
    public Tensor LayerOutput(int k, Tensor below)
    {
        ArgumentNullException.ThrowIfNull(below);
        var y = _linears[k].Call(Normalize(below.Contiguous()));
        foreach (var m in _activations[k]) y = m.Call(y);
        return y;
    }

    /// <summary>Goodness of each row: the mean of its squared activities (the mean keeps θ independent of the width).</summary>
    public static Tensor Goodness(Tensor h) => Ops.Mean(Ops.Mul(h, h), 1);

    /// <summary>Every layer's activity for the already-embedded input <paramref name="embedded"/>, each layer fed the detached one below.</summary>
    public IReadOnlyList<Tensor> Activities(Tensor embedded)
    {
        var acts = new Tensor[_linears.Length];
        var h = embedded;
        for (int k = 0; k < acts.Length; k++) h = acts[k] = LayerOutput(k, h.Detach());
        return acts;
    }

    /// <summary>[B, Classes]: for each label, the goodness summed over the scored layers with that label embedded.</summary>
    public Tensor GoodnessPerLabel(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int batch = x.Size(0);
        var scores = new float[batch * Classes];
        using var _ = Autograd.NoGrad();
        var labels = new int[batch];
        for (int c = 0; c < Classes; c++)
        {
            Array.Fill(labels, c);
            var acts = Activities(EmbedLabels(x, labels));
            for (int k = FirstScoredLayer; k < acts.Count; k++)
            {
                var g = Goodness(acts[k]).AsReadOnlySpan();
                for (int b = 0; b < batch; b++) scores[b * Classes + c] += g[b];
            }
        }
        return Tensor.FromArray(scores, batch, Classes);
    }

    /// <summary>
    /// The read-out's logits [B, Classes] for <paramref name="x"/> with the neutral label. The read-out's input is the
    /// scored layers' normalised activities, detached: training it never changes the forward-forward layers.
    /// </summary>
    public Tensor ReadoutLogits(Tensor x)
    {
        var acts = Activities(EmbedNeutral(x));
        var parts = new List<Tensor>();
        for (int k = FirstScoredLayer; k < acts.Count; k++) parts.Add(Normalize(acts[k].Detach()));
        return Readout.Call(parts.Count == 1 ? parts[0] : Ops.Concat(parts, 1));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) =>
        Options.Prediction == ForwardForwardPrediction.Goodness ? GoodnessPerLabel(x) : ReadoutLogits(x);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"theta={Options.Threshold}, prediction={Options.Prediction.ToString().ToLowerInvariant()}, scored_layers={FirstScoredLayer}..{LayerCount - 1}";

    private float[] CheckedCopy(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Size(1) != Inputs)
            throw new ArgumentException($"x: expected [batch, {Inputs}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        return x.Contiguous().AsReadOnlySpan().ToArray();
    }
}
