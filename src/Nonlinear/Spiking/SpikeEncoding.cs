using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

/// <summary>How features become the input of the first spiking layer.</summary>
public enum SpikeEncoding
{
    /// <summary>The features are a current presented unchanged at every step (snnTorch tutorial 5).</summary>
    Constant,
    /// <summary>Rate coding: at each step feature x spikes with probability clamp(x, 0, 1), drawn from a seeded <see cref="Rng"/> (snnTorch spikegen.rate).</summary>
    Rate,
    /// <summary>Latency coding: feature x spikes once, at step round((1 − clamp(x, 0, 1))·(T − 1)); x ≤ 0 never spikes (snnTorch spikegen.latency with linear=True, normalize=True).</summary>
    Latency,
}

/// <summary>How the output layer's activity becomes one score per class.</summary>
public enum SpikeDecoding
{
    /// <summary>Spike count Σₜ S[t] (gradients through the surrogate).</summary>
    Count,
    /// <summary>Mean membrane (1/T)·Σₜ U[t] of the output neurons.</summary>
    Membrane,
}

/// <summary>What a spiking classifier is trained on (<see cref="SpikingNetwork.ScoresAndLoss"/>).</summary>
public enum SpikeLoss
{
    /// <summary>
    /// Σₜ CE(U[t], y): the cross-entropy of the output membrane at every step, summed over the T steps (snnTorch
    /// tutorial 5, and ../shared/peers/snn_lif.py). The default: the membrane carries a gradient at every step even
    /// when an output neuron is silent or saturated, where a spike count has none.
    /// </summary>
    Membrane,
    /// <summary>The cross-entropy of the decoded scores (spike counts or mean membrane, <see cref="SpikeDecoding"/>).</summary>
    Scores,
}

/// <summary>The spike encoders: features [B, F] to spike trains [T, B, F] (constant coding needs none).</summary>
public static class SpikeEncoder
{
    /// <summary>Bernoulli spikes: element (t, b, f) is 1 with probability clamp(x[b, f], 0, 1); draws in (t, b, f) row-major order, so a seed fixes the train.</summary>
    /// <exception cref="ArgumentException">x is not [B, F] or steps &lt; 1.</exception>
    public static Tensor Rate(Tensor x, int steps, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var xs = Check(x, steps);
        int bf = xs.Length;
        var s = new float[steps * bf];
        for (int t = 0; t < steps; t++)
            for (int i = 0; i < bf; i++)
                s[t * bf + i] = rng.NextFloat() < Math.Clamp(xs[i], 0f, 1f) ? 1f : 0f;
        return new Tensor(s, [steps, x.Size(0), x.Size(1)]);
    }

    /// <summary>One spike per positive feature at step round((1 − clamp(x, 0, 1))·(T − 1)): the brightest first.</summary>
    /// <exception cref="ArgumentException">x is not [B, F] or steps &lt; 1.</exception>
    public static Tensor Latency(Tensor x, int steps)
    {
        var xs = Check(x, steps);
        int bf = xs.Length;
        var s = new float[steps * bf];
        for (int i = 0; i < bf; i++)
        {
            float v = xs[i];
            if (!(v > 0f)) continue;
            int t = (int)MathF.Round((1f - MathF.Min(v, 1f)) * (steps - 1));
            s[t * bf + i] = 1f;
        }
        return new Tensor(s, [steps, x.Size(0), x.Size(1)]);
    }

    private static float[] Check(Tensor x, int steps)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2) throw new ArgumentException($"spike encoders take features [B, F]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (steps < 1) throw new ArgumentException($"steps must be ≥ 1; got {steps}.", nameof(steps));
        return x.Contiguous().ToArray();
    }
}
