using System.Numerics;

namespace Nonlinear.Spiking;

/// <summary>
/// The fused time loop of one layer of LIF neurons over T steps, forward and BPTT backward, on [T, B, N] spans
/// (row-major: step, sample, neuron). Generic over float (training) and double (the finite-difference tests run the
/// very same code in double). One pass over the layer per step; the state lives in the output spans and in buffers
/// allocated once per call, never per step.
/// <code>
/// r[t]  = S[t−1]                       (detached, here and in a[t], unless DetachReset = false)
/// syn[t]= α·syn[t−1] + I[t]            (Synaptic; otherwise syn[t] = I[t])
/// a[t]  = ρ·a[t−1] + S[t−1]            (Adaptive, detached; θ_eff[t] = θ + b·a[t], otherwise θ_eff = θ)
/// U[t]  = β·U[t−1] + syn[t] − r[t]·θ   (Subtract) | β·(1 − r[t])·U[t−1] + syn[t] (Zero) | β·U[t−1] + syn[t] (None)
/// S[t]  = H(U[t] − θ_eff[t])           (backward: surrogate′(U[t] − θ_eff[t]))
/// </code>
/// with U[−1] = S[−1] = syn[−1] = a[−1] = 0 and β clamped to [0, 1] (its gradient is zero where the clamp binds).
/// </summary>
internal static class LifLoop
{
    /// <summary>The per-layer constants of the loop.</summary>
    internal readonly record struct Config(int Steps, int Batch, int Neurons, bool ConstantInput, ResetMechanism Reset, NeuronModel Neuron,
        double Alpha, double Rho, double AdaptB, double SmoothK, bool DetachReset, int Truncate)
    {
        public static Config From(LifOptions o, int steps, int batch, int neurons, bool constantInput) =>
            new(steps, batch, neurons, constantInput, o.Reset, o.Neuron, o.Neuron == NeuronModel.Synaptic ? o.Alpha : 0,
                o.AdaptationDecay, o.Neuron == NeuronModel.Adaptive ? o.AdaptationStrength : 0, o.SmoothSpikeSlope, o.DetachReset, o.TruncateSteps);
    }

    /// <summary>
    /// Runs the layer. <paramref name="input"/> is [T, B, N], or [B, N] when <see cref="Config.ConstantInput"/> (the same
    /// current at every step: computed once upstream instead of T times). Fills spikes and membranes [T, B, N], and
    /// θ_eff [T, B, N] for adaptive neurons (empty span otherwise).
    /// </summary>
    public static void Forward<T>(in Config c, ReadOnlySpan<T> input, ReadOnlySpan<T> beta, ReadOnlySpan<T> threshold,
        Span<T> spikes, Span<T> membrane, Span<T> thresholdEff) where T : IFloatingPointIeee754<T>
    {
        int bn = c.Batch * c.Neurons, n = c.Neurons;
        T alpha = T.CreateChecked(c.Alpha), rho = T.CreateChecked(c.Rho), adaptB = T.CreateChecked(c.AdaptB), k = T.CreateChecked(c.SmoothK);
        bool synaptic = c.Neuron == NeuronModel.Synaptic, adaptive = c.Neuron == NeuronModel.Adaptive, smooth = c.SmoothK > 0;
        var syn = synaptic ? new T[bn] : [];
        var adapt = adaptive ? new T[bn] : [];
        for (int t = 0; t < c.Steps; t++)
        {
            int off = t * bn, prev = off - bn;
            var inT = c.ConstantInput ? input[..bn] : input.Slice(off, bn);
            for (int i = 0; i < bn; i++)
            {
                int j = i % n;
                T b = T.Clamp(beta[j], T.Zero, T.One), th = threshold[j];
                T uPrev = t > 0 ? membrane[prev + i] : T.Zero, r = t > 0 ? spikes[prev + i] : T.Zero;
                T current = inT[i];
                if (synaptic) current = syn[i] = alpha * syn[i] + current;
                T thEff = th;
                if (adaptive)
                {
                    adapt[i] = rho * adapt[i] + r;
                    thEff = thresholdEff[off + i] = th + adaptB * adapt[i];
                }
                T u = c.Reset switch
                {
                    ResetMechanism.Subtract => b * uPrev + current - r * th,
                    ResetMechanism.Zero => b * (T.One - r) * uPrev + current,
                    _ => b * uPrev + current,
                };
                membrane[off + i] = u;
                T x = u - thEff;
                spikes[off + i] = smooth ? Sigmoid(k * x) : x > T.Zero ? T.One : T.Zero;
            }
        }
    }

    /// <summary>
    /// BPTT through the layer: from the gradients of the spikes (and of the membranes, for layers read out by membrane;
    /// either may be empty) to the gradients of the input (summed over steps for a constant input), of β and of θ
    /// (per neuron, added into <paramref name="gradBeta"/>/<paramref name="gradThreshold"/>; pass empty spans to skip).
    /// </summary>
    public static void Backward<T>(in Config c, ReadOnlySpan<T> gradSpikes, ReadOnlySpan<T> gradMembrane, ReadOnlySpan<T> beta, ReadOnlySpan<T> threshold,
        ReadOnlySpan<T> spikes, ReadOnlySpan<T> membrane, ReadOnlySpan<T> thresholdEff, Func<T, T> surrogate,
        Span<T> gradInput, Span<T> gradBeta, Span<T> gradThreshold) where T : IFloatingPointIeee754<T>
    {
        int bn = c.Batch * c.Neurons, n = c.Neurons;
        T alpha = T.CreateChecked(c.Alpha), k = T.CreateChecked(c.SmoothK);
        bool smooth = c.SmoothK > 0, adaptive = c.Neuron == NeuronModel.Adaptive, hasGS = !gradSpikes.IsEmpty, hasGU = !gradMembrane.IsEmpty;
        bool wantBeta = !gradBeta.IsEmpty, wantTh = !gradThreshold.IsEmpty;
        var gUNext = new T[bn];   // dL/dU[t+1] (total), zero beyond the window
        var gSynNext = new T[bn]; // dL/dsyn[t+1]
        var gANext = adaptive && !c.DetachReset ? new T[bn] : []; // dL/da[t+1]
        T rho = T.CreateChecked(c.Rho), adaptB = T.CreateChecked(c.AdaptB);
        if (c.ConstantInput) gradInput[..bn].Clear();
        for (int t = c.Steps - 1; t >= 0; t--)
        {
            int off = t * bn, prev = off - bn, next = off + bn;
            // The carry from t+1 into t is cut at a truncation boundary (t+1 a multiple of K): the forward state is kept.
            bool carry = t + 1 < c.Steps && !(c.Truncate > 0 && (t + 1) % c.Truncate == 0);
            for (int i = 0; i < bn; i++)
            {
                int j = i % n;
                T braw = beta[j], b = T.Clamp(braw, T.Zero, T.One), th = threshold[j];
                T u = membrane[off + i], uPrev = t > 0 ? membrane[prev + i] : T.Zero, r = t > 0 ? spikes[prev + i] : T.Zero;
                T thEff = adaptive ? thresholdEff[off + i] : th;
                T gNext = carry ? gUNext[i] : T.Zero;
                T gS = hasGS ? gradSpikes[off + i] : T.Zero;
                if (!c.DetachReset && carry)
                {
                    // S[t] is r[t+1]: its effect on U[t+1] through the reset.
                    T rNextDeriv = c.Reset switch { ResetMechanism.Subtract => -th, ResetMechanism.Zero => -b * u, _ => T.Zero };
                    gS += gNext * rNextDeriv;
                    if (adaptive) gS += gANext[i]; // a[t+1] = ρ·a[t] + S[t]
                }
                T x = u - thEff;
                T sg = smooth ? k * Sigmoid(k * x) * Sigmoid(-k * x) : surrogate(x);
                T dUNextdU = c.Reset == ResetMechanism.Zero ? b * (T.One - (t + 1 < c.Steps ? spikes[off + i] : T.Zero)) : b;
                T gU = gS * sg + gNext * dUNextdU;
                if (hasGU) gU += gradMembrane[off + i];
                T gSyn = gU + (carry ? alpha * gSynNext[i] : T.Zero);
                if (c.ConstantInput) gradInput[i] += gSyn;
                else gradInput[off + i] = gSyn;
                if (wantBeta && braw >= T.Zero && braw <= T.One)
                    gradBeta[j] += gU * (c.Reset == ResetMechanism.Zero ? (T.One - r) * uPrev : uPrev);
                if (wantTh)
                    gradThreshold[j] += -gS * sg - (c.Reset == ResetMechanism.Subtract ? gU * r : T.Zero);
                if (gANext.Length > 0) gANext[i] = -adaptB * gS * sg + (carry ? rho * gANext[i] : T.Zero);
                gUNext[i] = gU;
                gSynNext[i] = gSyn;
            }
        }
    }

    // Stable for both signs: exp of a non-positive argument only.
    private static T Sigmoid<T>(T z) where T : IFloatingPointIeee754<T>
    {
        T e = T.Exp(-T.Abs(z));
        return z >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
    }
}
