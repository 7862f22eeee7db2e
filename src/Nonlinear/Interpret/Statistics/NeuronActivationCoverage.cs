using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Statistics;

/// <summary>Settings of <see cref="NeuronActivationCoverage"/>.</summary>
/// <param name="Bins">M: bins of the state histogram on [0, 1].</param>
/// <param name="Alpha">
/// α: the steepness of the sigmoid that maps z·∂KL/∂z to a state. The paper tunes it per layer; null (the default)
/// sets it from the in-distribution data at <see cref="NeuronActivationCoverage.Fit"/>: α = 1 / median |z·∂KL/∂z| over
/// the non-zero products of up to <see cref="NeuronActivationCoverage.AlphaSampleInputs"/> inputs, so a typical
/// state is σ(±1) and the histogram resolves them. A fixed α far above that saturates every state at 0 or 1, where
/// in- and out-of-distribution inputs land in the same two bins (measured on digits: AUROC against uniform noise
/// 0.59 at α = 100 on the first hidden layer, 0.97 at α = 10; see REPRODUCTIONS.md).
/// </param>
/// <param name="MinCount">
/// O: in-distribution inputs a bin needs to count as fully covered. The paper states it as a density r (a bin's
/// coverage is min(κ/r, 1), κ the histogram's PDF = count·M/N); null (the default) takes O = ⌈r·N/M⌉ from
/// <paramref name="MinDensity"/>, so the same setting means the same on 1,000 and on 60,000 inputs (a fixed O = 5
/// covers every bin that 5 of 60,000 Fashion-MNIST images reach, and every input then scores 1).
/// </param>
/// <param name="MinDensity">r: the density a bin needs when <paramref name="MinCount"/> is null (1 = the uniform density on [0, 1]).</param>
/// <param name="BatchSize">Inputs per forward/backward pass.</param>
public sealed record NacOptions(int Bins = 50, double? Alpha = null, int? MinCount = null, int BatchSize = 256, double MinDensity = 0.2)
{
    internal void Validate()
    {
        if (Bins < 1 || Bins > 100_000) throw new InvalidInputException($"NAC bins must be in [1, 100000]; got {Bins}.", nameof(Bins));
        if (Alpha is { } a && (!(a > 0) || double.IsInfinity(a))) throw new InvalidInputException($"NAC alpha must be finite and > 0; got {Alpha}.", nameof(Alpha));
        if (MinCount < 1) throw new InvalidInputException($"NAC minimum count must be ≥ 1; got {MinCount}.", nameof(MinCount));
        if (!(MinDensity > 0) || double.IsInfinity(MinDensity)) throw new InvalidInputException($"NAC minimum density must be finite and > 0; got {MinDensity}.", nameof(MinDensity));
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

    /// <summary>In-distribution inputs whose products z·∂KL/∂z set α when <see cref="NacOptions.Alpha"/> is null.</summary>
    public const int AlphaSampleInputs = 2048;

    private NeuronActivationCoverage(string layer, int units, NacOptions options, double alpha, long[] counts, int inputs)
    {
        Alpha = alpha;
        MinCount = options.MinCount ?? (int)Math.Max(1, Math.Ceiling(options.MinDensity * inputs / options.Bins));
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
    /// <summary>The sigmoid steepness α in use (the option's, or the one fitted from the data).</summary>
    public double Alpha { get; }
    /// <summary>O in use: the option's, or ⌈r·N/M⌉.</summary>
    public int MinCount { get; }
    /// <summary>In-distribution inputs counted.</summary>
    public int Inputs { get; }

    /// <summary>Counts of in-distribution inputs per bin for unit <paramref name="unit"/>.</summary>
    public ReadOnlySpan<long> Counts(int unit) => _counts.AsSpan(unit * Options.Bins, Options.Bins);

    /// <summary>Builds the coverage of <paramref name="layer"/> from in-distribution <paramref name="data"/>.</summary>
    public static NeuronActivationCoverage Fit(Module model, Dataset data, string layer, NacOptions? options = null)
    {
        options ??= new NacOptions();
        options.Validate();
        double alpha = options.Alpha ?? FitAlpha(model, data, layer, options.BatchSize);
        long[]? counts = null;
        int units = 0;
        States(model, data, layer, options.BatchSize, alpha, int.MaxValue, (states, rows) =>
        {
            units = states.Length / Math.Max(1, rows);
            counts ??= new long[(long)units * options.Bins];
            for (int r = 0; r < rows; r++)
                for (int u = 0; u < units; u++) counts[(long)u * options.Bins + Bin(states[r * units + u], options.Bins)]++;
        });
        return new NeuronActivationCoverage(layer, units, options, alpha, counts ?? [], data.Count);
    }

    /// <summary>The coverage score of every input of <paramref name="data"/>, in [0, 1].</summary>
    public double[] Score(Module model, Dataset data)
    {
        var scores = new double[data.Count];
        int next = 0;
        States(model, data, Layer, Options.BatchSize, Alpha, int.MaxValue, (states, rows) =>
        {
            if (states.Length != rows * Units) throw new ArgumentException($"{Layer} has {states.Length / Math.Max(1, rows)} units here; the coverage was fitted on {Units}.", nameof(model));
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int u = 0; u < Units; u++)
                    sum += Math.Min((double)_counts[(long)u * Options.Bins + Bin(states[r * Units + u], Options.Bins)] / MinCount, 1.0);
                scores[next++] = Units == 0 ? double.NaN : sum / Units;
            }
        });
        return scores;
    }

    // numpy.histogram's rule on [0, 1]: bin ⌊s·M⌋, s = 1 in the last bin; NaN states (NaN activations) in bin 0.
    internal static int Bin(double s, int bins) => double.IsNaN(s) ? 0 : (int)Math.Clamp(Math.Floor(s * bins), 0, bins - 1);

    // 1 / median |z·∂KL/∂z| over the non-zero products of the first inputs (1 when all are zero).
    private static double FitAlpha(Module model, Dataset data, string layer, int batchSize)
    {
        var products = new List<double>();
        States(model, data, layer, batchSize, alpha: null, AlphaSampleInputs, (p, _) =>
        {
            foreach (var v in p) if (v != 0 && double.IsFinite(v)) products.Add(Math.Abs(v));
        });
        if (products.Count == 0) return 1;
        products.Sort();
        int c = products.Count;
        double median = c % 2 == 1 ? products[c / 2] : (products[c / 2 - 1] + products[c / 2]) / 2;
        return 1 / median;
    }

    /// <summary>
    /// States ẑ = σ(α·z·∂KL/∂z) of <paramref name="layer"/> for each batch of <paramref name="data"/> (the first
    /// <paramref name="maxInputs"/> inputs), row-major rows × units, in double; with a null α, the products z·∂KL/∂z.
    /// </summary>
    internal static void States(Module model, Dataset data, string layer, int batchSize, double? alpha, int maxInputs, Action<double[], int> sink)
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
            int seen = 0;
            foreach (var batch in new DataLoader(data, batchSize, shuffle: false).Epoch(0))
            {
                if (seen >= maxInputs) break;
                seen += batch.Count;
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
                    double t = (double)zv[i] * gv[i];
                    states[i] = alpha is { } a ? 1 / (1 + Math.Exp(-a * t)) : t;
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
