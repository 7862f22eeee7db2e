using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Statistics;

/// <summary>Settings of <see cref="NeuronActivationCoverage"/>.</summary>
/// <param name="Bins">M: bins of the state histogram on [0, 1].</param>
/// <param name="Alpha">α: the steepness of the sigmoid that maps z·∂KL/∂z to a state.</param>
/// <param name="MinCount">O: in-distribution inputs a bin needs to count as fully covered.</param>
/// <param name="BatchSize">Inputs per forward/backward pass.</param>
public sealed record NacOptions(int Bins = 50, double Alpha = 100, int MinCount = 5, int BatchSize = 256)
{
    internal void Validate()
    {
        if (Bins < 1 || Bins > 100_000) throw new InvalidInputException($"NAC bins must be in [1, 100000]; got {Bins}.", nameof(Bins));
        if (!(Alpha > 0) || double.IsInfinity(Alpha)) throw new InvalidInputException($"NAC alpha must be finite and > 0; got {Alpha}.", nameof(Alpha));
        if (MinCount < 1) throw new InvalidInputException($"NAC minimum count must be ≥ 1; got {MinCount}.", nameof(MinCount));
        if (BatchSize < 1) throw new InvalidInputException($"NAC batch size must be ≥ 1; got {BatchSize}.", nameof(BatchSize));
    }
}

/// <summary>
/// Neuron activation coverage (Liu, Lochman and Zach, ICLR 2024, arXiv:2306.02879) as an out-of-distribution score for
/// one layer of a classifier. A unit's state on an input is ẑ = σ(α·z·∂KL(u‖p)/∂z), z the unit's output, p the softmax
/// of the logits and u uniform, so it weighs the output by how much it moves the prediction away from uniform. <see cref="Fit"/>
/// counts, per unit, the in-distribution inputs whose state falls in each of M bins of [0, 1]; <see cref="Score"/> gives
/// an input the mean over units of min(count(bin of its state) / O, 1): near 1 for inputs whose states the
/// in-distribution data covers, lower for out-of-distribution ones. KL(u‖p) = −log K − (1/K)·Σₖ log pₖ is summed over the
/// batch so each input's gradient is its own, whatever the batch size. Runs in evaluation mode; the model's parameter
/// gradients are cleared afterwards.
/// </summary>
public sealed class NeuronActivationCoverage
{
    private readonly long[] _counts; // units × bins

    private NeuronActivationCoverage(string layer, int units, NacOptions options, long[] counts, int inputs)
    {
        Layer = layer;
        Units = units;
        Options = options;
        _counts = counts;
        Inputs = inputs;
    }

    /// <summary>The dotted module name whose output is covered.</summary>
    public string Layer { get; }
    /// <summary>Units of that output (flattened).</summary>
    public int Units { get; }
    /// <summary>The settings.</summary>
    public NacOptions Options { get; }
    /// <summary>In-distribution inputs counted.</summary>
    public int Inputs { get; }

    /// <summary>Counts of in-distribution inputs per bin for unit <paramref name="unit"/>.</summary>
    public ReadOnlySpan<long> Counts(int unit) => _counts.AsSpan(unit * Options.Bins, Options.Bins);

    /// <summary>Builds the coverage of <paramref name="layer"/> from in-distribution <paramref name="data"/>.</summary>
    public static NeuronActivationCoverage Fit(Module model, Dataset data, string layer, NacOptions? options = null)
    {
        options ??= new NacOptions();
        options.Validate();
        long[]? counts = null;
        int units = 0;
        States(model, data, layer, options, (states, rows) =>
        {
            units = states.Length / Math.Max(1, rows);
            counts ??= new long[(long)units * options.Bins];
            for (int r = 0; r < rows; r++)
                for (int u = 0; u < units; u++) counts[(long)u * options.Bins + Bin(states[r * units + u], options.Bins)]++;
        });
        return new NeuronActivationCoverage(layer, units, options, counts ?? [], data.Count);
    }

    /// <summary>The coverage score of every input of <paramref name="data"/>, in [0, 1].</summary>
    public double[] Score(Module model, Dataset data)
    {
        var scores = new double[data.Count];
        int next = 0;
        States(model, data, Layer, Options, (states, rows) =>
        {
            if (states.Length != rows * Units) throw new ArgumentException($"{Layer} has {states.Length / Math.Max(1, rows)} units here; the coverage was fitted on {Units}.", nameof(model));
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int u = 0; u < Units; u++)
                    sum += Math.Min((double)_counts[(long)u * Options.Bins + Bin(states[r * Units + u], Options.Bins)] / Options.MinCount, 1.0);
                scores[next++] = Units == 0 ? double.NaN : sum / Units;
            }
        });
        return scores;
    }

    // numpy.histogram's rule on [0, 1]: bin ⌊s·M⌋, s = 1 in the last bin; NaN states (NaN activations) in bin 0.
    internal static int Bin(double s, int bins) => double.IsNaN(s) ? 0 : (int)Math.Clamp(Math.Floor(s * bins), 0, bins - 1);

    /// <summary>States ẑ of <paramref name="layer"/> for each batch of <paramref name="data"/>, row-major rows × units, in double.</summary>
    internal static void States(Module model, Dataset data, string layer, NacOptions options, Action<double[], int> sink)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var module = Capture.ActivationCapture.Resolve(model, [layer])[0];
        Tensor? z = null, g = null;
        bool wasTraining = model.IsTraining;
        model.Eval();
        using var forward = module.RegisterForwardHook((_, _, y) => { z = y; return null; });
        using var backward = module.RegisterBackwardHook((_, _, gy) => { g = gy; return null; });
        try
        {
            foreach (var batch in new DataLoader(data, options.BatchSize, shuffle: false).Epoch(0))
            {
                z = g = null;
                var x = Tensor.FromArray(batch.Features.AsReadOnlySpan().ToArray(), batch.Features.Shape.ToArray());
                // The input requires grad so the layer's output does even when the parameters are frozen.
                x.RequiresGrad = true;
                var logits = model.Call(x);
                int k = logits.Size(-1);
                var kl = logits.LogSoftmax().Sum() * (-1f / k);
                kl.Backward();
                if (z is null || g is null) throw new InvalidOperationException($"module '{layer}' did not run in the forward pass, or no gradient reached it.");
                var zv = z.Contiguous().AsReadOnlySpan();
                var gv = g.Contiguous().AsReadOnlySpan();
                var states = new double[zv.Length];
                for (int i = 0; i < states.Length; i++)
                {
                    double t = options.Alpha * zv[i] * gv[i];
                    states[i] = 1 / (1 + Math.Exp(-t));
                }
                sink(states, batch.Count);
            }
        }
        finally
        {
            model.ZeroGrad(setToNone: true);
            model.Train(wasTraining);
        }
    }
}
