using Nonlinear.Data;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// The synaptic rule of Krotov &amp; Hopfield 2019, "Unsupervised learning by competing hidden units". For a minibatch
/// of inputs v (one per row), each hidden unit μ receives the current I_μ = Σᵢ sign(W_μi)|W_μi|^(p−1) vᵢ; the unit
/// with the largest current gets g = 1 (Hebbian), the unit of rank k gets g = −Δ (anti-Hebbian), all others 0; then
/// ΔW_μi = Σ_batch g_μ (vᵢ − I_μ W_μi) and W ← W + ε ΔW / max|ΔW| (the authors' normalisation: the largest
/// change is ε). The decay term −g I W makes ‖W_μ‖_p → 1 for every unit that keeps winning.
/// Ties are broken toward the lower unit index.
/// </summary>
public static class KrotovHopfield
{
    /// <summary>
    /// The update direction ΔW / max(max|ΔW|, precision) in double, written as plainly as the paper's equations: the
    /// specification that <see cref="Step"/> is tested against. <paramref name="w"/> is [hidden, inputs] and
    /// <paramref name="v"/> [batch, inputs], row-major.
    /// </summary>
    public static double[] ReferenceDirection(double[] w, double[] v, int hidden, int inputs, KrotovHopfieldOptions options)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(options);
        int batch = v.Length / inputs;
        var ds = new double[hidden * inputs];
        for (int b = 0; b < batch; b++)
        {
            var current = new double[hidden];
            for (int mu = 0; mu < hidden; mu++)
                for (int i = 0; i < inputs; i++)
                    current[mu] += Math.Sign(w[mu * inputs + i]) * Math.Pow(Math.Abs(w[mu * inputs + i]), options.P - 1) * v[b * inputs + i];
            var order = Enumerable.Range(0, hidden).OrderByDescending(mu => current[mu]).ThenBy(mu => mu).ToArray();
            var g = new double[hidden];
            g[order[0]] = 1;
            g[order[options.K - 1]] = -options.Delta;
            for (int mu = 0; mu < hidden; mu++)
                for (int i = 0; i < inputs; i++)
                    ds[mu * inputs + i] += g[mu] * (v[b * inputs + i] - current[mu] * w[mu * inputs + i]);
        }
        double nc = Math.Max(ds.Max(Math.Abs), options.Precision);
        return ds.Select(d => d / nc).ToArray();
    }

    /// <summary>
    /// One update of <paramref name="weights"/> [hidden, inputs] in place from the minibatch <paramref name="v"/>
    /// [batch, inputs] with learning rate <paramref name="eps"/>. The currents are one GEMM; the Hebbian part touches
    /// only the two ranked units per sample.
    /// </summary>
    public static void Step(Tensor weights, Tensor v, double eps, KrotovHopfieldOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(options);
        int hidden = weights.Size(0), inputs = weights.Size(1), batch = v.Size(0);
        if (v.Rank != 2 || v.Size(1) != inputs) throw new ArgumentException($"v: expected [batch, {inputs}]; got {Shapes.Format(v.Shape)}.", nameof(v));
        options.Validate(hidden);
        var w = weights.AsSpan();
        var powered = new float[w.Length];
        float pm1 = (float)(options.P - 1);
        for (int j = 0; j < w.Length; j++)
            powered[j] = options.P == 2 ? w[j] : MathF.CopySign(MathF.Pow(MathF.Abs(w[j]), pm1), w[j]) * (w[j] == 0 ? 0 : 1);
        var currents = Ops.Linear(v.Contiguous(), Tensor.FromArray(powered, hidden, inputs), null).AsReadOnlySpan(); // [batch, hidden]
        var vs = v.Contiguous().AsReadOnlySpan();
        var ds = new float[w.Length];
        var decay = new double[hidden];   // Σ_batch g_μ I_μ, the coefficient of −W_μ
        var top = new int[options.K];
        for (int b = 0; b < batch; b++)
        {
            var row = currents.Slice(b * hidden, hidden);
            TopK(row, top);
            (int winner, int ranked) = (top[0], top[options.K - 1]);
            var x = vs.Slice(b * inputs, inputs);
            float dl = (float)options.Delta;
            for (int i = 0; i < inputs; i++)
            {
                ds[winner * inputs + i] += x[i];
                ds[ranked * inputs + i] -= dl * x[i];
            }
            decay[winner] += row[winner];
            decay[ranked] -= options.Delta * row[ranked];
        }
        float max = 0;
        for (int mu = 0; mu < hidden; mu++)
        {
            float d = (float)decay[mu];
            for (int i = 0; i < inputs; i++)
            {
                int j = mu * inputs + i;
                ds[j] -= d * w[j];
                max = Math.Max(max, Math.Abs(ds[j]));
            }
        }
        float scale = (float)(eps / Math.Max(max, options.Precision));
        for (int j = 0; j < w.Length; j++) w[j] += scale * ds[j];
    }

    /// <summary>
    /// Trains <paramref name="weights"/> on <paramref name="data"/>'s features for <see cref="KrotovHopfieldOptions.Epochs"/>
    /// epochs (shuffled from <paramref name="seed"/>, ε annealed linearly); <paramref name="onBatch"/> gets (epoch, batch, batches per epoch).
    /// </summary>
    public static void Fit(Tensor weights, Dataset data, KrotovHopfieldOptions options, ulong seed, Action<int, int, int>? onBatch = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.FeatureCount != weights.Size(1)) throw new ArgumentException($"data has {data.FeatureCount} features; the weights take {weights.Size(1)}.", nameof(data));
        options.Validate(weights.Size(0));
        int batches = BatchesPerEpoch(data.Count, options);
        var order = Enumerable.Range(0, data.Count).ToArray();
        var buffer = new float[Math.Min(options.BatchSize, data.Count) * data.FeatureCount];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            new Rng(seed ^ (0x4B524F54UL * (ulong)(epoch + 1))).Shuffle(order.AsSpan());
            double eps = options.LearningRate * (1 - (double)epoch / options.Epochs);
            for (int b = 0; b < batches; b++)
            {
                int n = Math.Min(options.BatchSize, data.Count);
                for (int r = 0; r < n; r++) data.Row(order[b * n + r]).CopyTo(buffer.AsSpan(r * data.FeatureCount));
                Step(weights, Tensor.FromArray(buffer, n, data.FeatureCount), eps, options);
                onBatch?.Invoke(epoch, b + 1, batches);
            }
        }
    }

    /// <summary>Updates per epoch: whole minibatches only (one, of every sample, when the data is smaller than a minibatch).</summary>
    public static int BatchesPerEpoch(int samples, KrotovHopfieldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(1, samples / options.BatchSize);
    }

    /// <summary>‖W_μ‖_p of every row of <paramref name="weights"/>, in double.</summary>
    public static double[] RowNorms(Tensor weights, double p)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int hidden = weights.Size(0), inputs = weights.Size(1);
        var w = weights.AsReadOnlySpan();
        var norms = new double[hidden];
        for (int mu = 0; mu < hidden; mu++)
        {
            double s = 0;
            for (int i = 0; i < inputs; i++) s += Math.Pow(Math.Abs(w[mu * inputs + i]), p);
            norms[mu] = Math.Pow(s, 1 / p);
        }
        return norms;
    }

    // The indices of the k largest values, largest first; ties toward the lower index (a strict > never displaces an earlier equal).
    private static void TopK(ReadOnlySpan<float> row, int[] top)
    {
        int k = top.Length, filled = 0;
        for (int mu = 0; mu < row.Length; mu++)
        {
            float val = row[mu];
            if (filled == k && !(val > row[top[k - 1]])) continue;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && val > row[top[pos - 1]]) { top[pos] = top[pos - 1]; pos--; }
            top[pos] = mu;
        }
    }
}
