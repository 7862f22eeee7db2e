using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>One logged training step.</summary>
/// <param name="Step">1-based step.</param>
/// <param name="Loss">Total loss.</param>
/// <param name="Reconstruction">mean_n ‖x̂ − y‖² (normalised units).</param>
/// <param name="Sparsity">The sparsity penalty (λ already scaled by the warm-up).</param>
/// <param name="Auxiliary">AuxK, Gated's auxiliary reconstruction or Matryoshka's prefix terms.</param>
/// <param name="L0">Mean active latents per sample in this batch.</param>
/// <param name="Dead">Latents that have not fired within the dead window.</param>
public sealed record SaeStepLog(int Step, double Loss, double Reconstruction, double Sparsity, double Auxiliary, double L0, int Dead);

/// <summary>
/// Trains an SAE (or, with targets, a transcoder) on captured activations with Adam: batches drawn without
/// replacement each epoch, λ and learning-rate schedules, unit-norm decoder rows (gradient projected, rows
/// renormalised each step) for every architecture but standard, dead-latent tracking for AuxK and resampling.
/// Input normalisation is folded into the weights at the end, so the returned SAE reads raw activations.
/// </summary>
public static class SaeTrainer
{
    /// <summary>Trains on <paramref name="inputs"/> [n, d_in]; with <paramref name="targets"/> [n, d_out] a transcoder (Dunefsky et al. 2024) mapping one to the other.</summary>
    /// <exception cref="InvalidInputException">An option is out of range.</exception>
    public static SparseAutoencoder Train(Tensor inputs, SaeTrainOptions options, Tensor? targets = null, Action<SaeStepLog>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (inputs.Rank != 2 || inputs.Size(0) < 1) throw new ArgumentException($"inputs must be [n ≥ 1, d_in]; got {Shapes.Format(inputs.Shape)}.", nameof(inputs));
        int n = inputs.Size(0), dIn = inputs.Size(1);
        if (targets is not null && (targets.Rank != 2 || targets.Size(0) != n))
            throw new ArgumentException($"targets must be [{n}, d_out]; got {Shapes.Format(targets.Shape)}.", nameof(targets));
        var cfg = options.ToConfig(dIn, targets?.Size(1));
        cfg.Validate();
        var x = inputs.Contiguous().AsReadOnlySpan().ToArray();
        var y = targets?.Contiguous().AsReadOnlySpan().ToArray();
        double sIn = options.NormalizeActivations ? NormScale(x, n, dIn) : 1;
        double sOut = y is null ? sIn : options.NormalizeActivations ? NormScale(y, n, cfg.DOut) : 1;

        var sae = SparseAutoencoder.Create(cfg, options.Seed);
        var p = sae.Params;
        InitBDec(options.BDecInit, y ?? x, n, cfg.DOut, sOut, p.BDec);
        var grads = new SaeParams<float>(cfg);
        var tensors = p.Names.Select(name =>
        {
            var shape = SaeParams<float>.Shape(cfg, name);
            return Tensor.FromArray(p[name], shape).With(t => t.Grad = Tensor.FromArray(grads[name], shape));
        }).ToList();
        var adam = new Adam(tensors, options.LearningRate);

        int batch = Math.Min(options.BatchSize, n);
        int steps = options.Steps;
        int lrDecay = options.LrDecaySteps ?? steps / 5, lamWarm = options.SparsityWarmupSteps ?? steps / 20;
        var step = sae.NewStep();
        step.G = grads;
        var rng = new Rng(options.Seed + 1);
        var order = Enumerable.Range(0, n).ToArray();
        rng.Shuffle<int>(order);
        int cursor = 0;
        var xb = new float[batch * dIn];
        var yb = y is null ? null : new float[batch * cfg.DOut];
        // Training inputs seen when each latent last fired: the dead window is counted in inputs.
        var lastFired = new long[cfg.DSae];
        var dead = new bool[cfg.DSae];
        bool usesAuxK = cfg.Architecture is TopKSae or BatchTopKSae;
        int logEvery = Math.Max(1, steps / 50);
        for (int t = 0; t < steps; t++)
        {
            for (int r = 0; r < batch; r++)
            {
                if (cursor == n) { rng.Shuffle<int>(order); cursor = 0; }
                int src = order[cursor++];
                for (int j = 0; j < dIn; j++) xb[r * dIn + j] = (float)(x[src * dIn + j] * sIn);
                if (yb is not null) for (int j = 0; j < cfg.DOut; j++) yb[r * cfg.DOut + j] = (float)(y![src * cfg.DOut + j] * sOut);
            }
            int deadCount = 0;
            long seen = (long)t * batch;
            for (int i = 0; i < cfg.DSae; i++) { dead[i] = seen - lastFired[i] >= options.DeadWindowInputs; if (dead[i]) deadCount++; }
            step.Dead = usesAuxK ? dead : null;
            step.SparsityScale = lamWarm > 0 ? Math.Min(1.0, (t + 1.0) / lamWarm) : 1.0;
            step.SetBatch(xb, yb, batch);
            grads.Clear();
            cfg.Architecture.Loss(step);
            if (cfg.Architecture.UnitNormDecoder) ProjectDecoderGrad(p.WDec, grads.WDec, cfg.DSae, cfg.DOut);
            adam.LearningRate = options.LearningRate * LrFactor(t, steps, options.LrWarmupSteps, lrDecay);
            adam.Step();
            if (cfg.Architecture.UnitNormDecoder) NormalizeRows(p.WDec, cfg.DSae, cfg.DOut);
            long active = MarkFired(step.Codes, lastFired, seen + batch);
            if (options.ResampleEvery > 0 && (t + 1) % options.ResampleEvery == 0 && t + 1 < steps)
                SaeResampler.Resample(step, lastFired, seen + batch, options.DeadWindowInputs, adam, rng);
            if (progress is not null && ((t + 1) % logEvery == 0 || t + 1 == steps))
                progress(new SaeStepLog(t + 1, step.Loss, step.Recon, step.Sparsity, step.Aux, (double)active / batch, deadCount));
        }
        sae.BatchThreshold = step.BatchThreshold;
        Fold(sae, sIn, sOut);
        return sae;
    }

    private static T With<T>(this T value, Action<T> action) { action(value); return value; }

    /// <summary>√d / mean_n ‖x_n‖: the factor that makes the mean norm √d (SAELens <c>expected_average_only_in</c>).</summary>
    internal static double NormScale(float[] data, int n, int d)
    {
        double sum = 0;
        for (int r = 0; r < n; r++)
        {
            double ss = 0;
            for (int j = 0; j < d; j++) ss += data[r * d + j] * (double)data[r * d + j];
            sum += Math.Sqrt(ss);
        }
        double mean = sum / n;
        return mean > 0 ? Math.Sqrt(d) / mean : 1;
    }

    private static double LrFactor(int t, int steps, int warm, int decay)
    {
        double f = warm > 0 ? Math.Min(1.0, (t + 1.0) / warm) : 1.0;
        int decayStart = steps - decay;
        if (decay > 0 && t >= decayStart) f *= (double)(steps - t) / decay;
        return f;
    }

    private static void InitBDec(BDecInit init, float[] data, int n, int d, double scale, float[] bdec)
    {
        if (init == BDecInit.Zeros) return;
        int rows = Math.Min(n, init == BDecInit.GeometricMedian ? 10_000 : n);
        var m = GeometricMedian.Mean(data, rows, d);
        if (init == BDecInit.GeometricMedian) m = GeometricMedian.Weiszfeld(data, rows, d, m);
        for (int j = 0; j < d; j++) bdec[j] = (float)(m[j] * scale);
    }

    // Removes each decoder row's gradient component along the row, so the step moves on the unit sphere (Bricken et al. 2023).
    internal static void ProjectDecoderGrad(float[] w, float[] g, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            var wr = w.AsSpan(i * cols, cols);
            var gr = g.AsSpan(i * cols, cols);
            float dot = SaeLinalg.Dot<float>(gr, wr);
            SaeLinalg.Axpy<float>(-dot, wr, gr);
        }
    }

    internal static void NormalizeRows(float[] w, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            var wr = w.AsSpan(i * cols, cols);
            double norm = Math.Sqrt(SaeLinalg.Dot<float>(wr, wr));
            if (norm > 0) { float inv = (float)(1 / norm); foreach (ref var v in wr) v *= inv; }
        }
    }

    private static long MarkFired(SaeCodes<float> c, long[] lastFired, long t)
    {
        if (c.IsSparse)
        {
            for (int e = 0; e < c.NonZeros; e++) lastFired[c.Col[e]] = t;
            return c.NonZeros;
        }
        long active = 0;
        for (int r = 0; r < c.Rows; r++)
            for (int i = 0; i < c.Cols; i++)
                if (c.Dense[r * c.Cols + i] != 0) { lastFired[i] = t; active++; }
        return active;
    }

    // Training ran on s·x; the returned SAE reads x: pre = (s_in·x − b)·W + b_enc = (x − b/s_in)·(s_in·W) + b_enc and
    // x̂ = (f·W_dec + b_dec)/s_out (SAELens fold_activation_norm_scaling_factor). Latents are unchanged.
    private static void Fold(SparseAutoencoder sae, double sIn, double sOut)
    {
        var p = sae.Params;
        foreach (ref var v in p.WEnc.AsSpan()) v = (float)(v * sIn);
        foreach (ref var v in p.WDec.AsSpan()) v = (float)(v / sOut);
        foreach (ref var v in p.BDec.AsSpan()) v = (float)(v / sOut);
    }
}
