using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;

namespace Nonlinear.Training;

/// <summary>
/// Dead hidden units: a unit (one output feature of an <see cref="ActivationLayer"/> or a learnable activation module in a
/// <see cref="Sequential"/> model)
/// is dead on a data set when its output is constant over every sample, i.e. max − min ≤ <see cref="RelativeTolerance"/>·max(1, max|y|).
/// A constant unit passes no information forward and, for every activation whose derivative vanishes where it is flat, no
/// gradient back. For ReLU this is the usual "dead ReLU" (always 0); the same test also counts a sigmoid or tanh unit
/// saturated on every sample, and is never triggered by a unit that merely outputs small values (leaky ReLU's negative side
/// still varies). Measured in evaluation mode without gradients.
/// </summary>
public static class DeadUnits
{
    /// <summary>Relative spread below which a unit counts as constant (float32 rounding of a saturated output is ~6e-8).</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>
    /// The fraction of hidden units that are dead on <paramref name="data"/> over all activation layers of
    /// <paramref name="model"/>; null when the model is not a <see cref="Sequential"/> with at least one activation layer.
    /// </summary>
    public static double? Fraction(Module model, Dataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (model is not Sequential seq || data.Count == 0) return null;
        var layers = Enumerable.Range(0, seq.Count).Select(i => seq[i]).ToArray();
        if (!layers.Any(IsActivation)) return null;
        var min = new Dictionary<int, float[]>();
        var max = new Dictionary<int, float[]>();
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            foreach (var batch in new DataLoader(data, batchSize, shuffle: false, seed: 0).Epoch(0))
            {
                var x = batch.Features;
                for (int i = 0; i < layers.Length; i++)
                {
                    x = layers[i].Call(x);
                    if (IsActivation(layers[i])) Track(x.Contiguous().AsSpan(), batch.Count, i, min, max);
                }
            }
        }
        finally
        {
            if (wasTraining) model.Train();
        }
        long units = 0, dead = 0;
        foreach (var (i, lo) in min)
        {
            var hi = max[i];
            for (int u = 0; u < lo.Length; u++)
            {
                double scale = Math.Max(1.0, Math.Max(Math.Abs(lo[u]), Math.Abs(hi[u])));
                // NaN outputs fail the comparison and count as alive: divergence is reported separately.
                if ((double)hi[u] - lo[u] <= RelativeTolerance * scale) dead++;
            }
            units += lo.Length;
        }
        return units == 0 ? null : (double)dead / units;
    }

    // Catalog activations and the learnable units (PReLU, PAU, Snake, …): elementwise layers whose outputs are hidden units.
    private static bool IsActivation(Module m) =>
        m is ActivationLayer or Layers.Learnable.LearnableActivation;

    private static void Track(ReadOnlySpan<float> y, int rows, int layer, Dictionary<int, float[]> min, Dictionary<int, float[]> max)
    {
        int width = rows == 0 ? 0 : y.Length / rows;
        if (!min.TryGetValue(layer, out var lo))
        {
            min[layer] = lo = Enumerable.Repeat(float.PositiveInfinity, width).ToArray();
            max[layer] = Enumerable.Repeat(float.NegativeInfinity, width).ToArray();
        }
        var hi = max[layer];
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * width, width);
            for (int u = 0; u < width; u++)
            {
                lo[u] = Math.Min(lo[u], row[u]);
                hi[u] = Math.Max(hi[u], row[u]);
            }
        }
    }
}
