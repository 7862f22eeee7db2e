using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Optim;

/// <summary>SGD coefficients, already rounded to float the way torch passes Python scalars to its float kernels.</summary>
internal readonly record struct SgdCoefs(float NegLr, float Momentum, float OneMinusDampening, float WeightDecay, bool Nesterov, bool FirstStep);

/// <summary>Adam/AdamW coefficients for one step, float-rounded as torch does (each computed in double, then cast).</summary>
internal readonly record struct AdamCoefs(float Decay, float WeightDecay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
    float Bc2Sqrt, float Eps, float NegStepSize, bool Amsgrad);

/// <summary>
/// The per-element update rules of the optimizers, written once for any <see cref="ISimdVec{TSelf}"/> width and run
/// with the widest one, the tail with <see cref="Scalar"/> through the same formula. Operation order and fused
/// multiply-adds follow torch 1.13's CPU kernels (add with alpha is an FMA; addcmul and addcdiv are not) so that
/// trajectories agree to float rounding.
/// </summary>
internal static class OptimKernels
{
    /// <summary>torch.optim.SGD's single-tensor update. <paramref name="buf"/> is empty when momentum = 0.</summary>
    public static void Sgd(Span<float> p, ReadOnlySpan<float> g, Span<float> buf, in SgdCoefs c)
    {
        int i = Simd.Best switch
        {
            SimdTier.Vec512 => SgdRun<Vec512>(p, g, buf, c, 0),
            SimdTier.Vec256 => SgdRun<Vec256>(p, g, buf, c, 0),
            SimdTier.Vec128 => SgdRun<Vec128>(p, g, buf, c, 0),
            _ => 0,
        };
        SgdRun<Scalar>(p, g, buf, c, i);
    }

    /// <summary>torch.optim.Adam / AdamW single-tensor update. <paramref name="vmax"/> is empty unless amsgrad.</summary>
    public static void Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> vmax, in AdamCoefs c)
    {
        int i = Simd.Best switch
        {
            SimdTier.Vec512 => AdamRun<Vec512>(p, g, m, v, vmax, c, 0),
            SimdTier.Vec256 => AdamRun<Vec256>(p, g, m, v, vmax, c, 0),
            SimdTier.Vec128 => AdamRun<Vec128>(p, g, m, v, vmax, c, 0),
            _ => 0,
        };
        AdamRun<Scalar>(p, g, m, v, vmax, c, i);
    }

    // Processes whole vectors from `start`; returns the index of the first element left over.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SgdRun<V>(Span<float> p, ReadOnlySpan<float> g, Span<float> buf, SgdCoefs c, int start) where V : struct, ISimdVec<V>
    {
        ref float ps = ref MemoryMarshal.GetReference(p);
        ref float gs = ref MemoryMarshal.GetReference(g);
        bool momentum = c.Momentum != 0f;
        ref float bs = ref momentum ? ref MemoryMarshal.GetReference(buf) : ref ps;
        V negLr = V.Create(c.NegLr), mu = V.Create(c.Momentum), damp = V.Create(c.OneMinusDampening), wd = V.Create(c.WeightDecay);
        int n = p.Length, w = V.Count, i = start;
        for (; i <= n - w; i += w)
        {
            V x = V.Load(ref Unsafe.Add(ref ps, i));
            V d = V.Load(ref Unsafe.Add(ref gs, i));
            if (c.WeightDecay != 0f) d = V.Fma(x, wd, d);                       // d_p.add(param, alpha=wd)
            if (momentum)
            {
                V b = c.FirstStep ? d : V.Fma(d, damp, V.Load(ref Unsafe.Add(ref bs, i)) * mu); // buf.mul_(μ).add_(d_p, alpha=1−τ)
                V.Store(b, ref Unsafe.Add(ref bs, i));
                d = c.Nesterov ? V.Fma(b, mu, d) : b;                             // d_p.add(buf, alpha=μ)
            }
            V.Store(V.Fma(d, negLr, x), ref Unsafe.Add(ref ps, i));              // param.add_(d_p, alpha=−lr)
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AdamRun<V>(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> vmax, AdamCoefs c, int start)
        where V : struct, ISimdVec<V>
    {
        ref float ps = ref MemoryMarshal.GetReference(p);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float ms = ref MemoryMarshal.GetReference(m);
        ref float vs = ref MemoryMarshal.GetReference(v);
        ref float xs = ref c.Amsgrad ? ref MemoryMarshal.GetReference(vmax) : ref vs;
        V decay = V.Create(c.Decay), wd = V.Create(c.WeightDecay), b1 = V.Create(c.Beta1), c1 = V.Create(c.OneMinusBeta1);
        V b2 = V.Create(c.Beta2), c2 = V.Create(c.OneMinusBeta2), bc2 = V.Create(c.Bc2Sqrt), eps = V.Create(c.Eps), negStep = V.Create(c.NegStepSize);
        int n = p.Length, w = V.Count, i = start;
        for (; i <= n - w; i += w)
        {
            V x = V.Load(ref Unsafe.Add(ref ps, i));
            V d = V.Load(ref Unsafe.Add(ref gs, i));
            if (c.Decay != 1f) x *= decay;                                       // AdamW: param.mul_(1 − lr·wd)
            if (c.WeightDecay != 0f) d = V.Fma(x, wd, d);                        // Adam: grad.add(param, alpha=wd)
            V mi = V.Fma(d, c1, V.Load(ref Unsafe.Add(ref ms, i)) * b1);         // exp_avg.mul_(β1).add_(grad, alpha=1−β1)
            V vi = V.Load(ref Unsafe.Add(ref vs, i)) * b2 + c2 * d * d;          // exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1−β2)
            V.Store(mi, ref Unsafe.Add(ref ms, i));
            V.Store(vi, ref Unsafe.Add(ref vs, i));
            if (c.Amsgrad)
            {
                vi = V.Max(V.Load(ref Unsafe.Add(ref xs, i)), vi);              // torch.maximum(max_exp_avg_sq, exp_avg_sq)
                V.Store(vi, ref Unsafe.Add(ref xs, i));
            }
            V denom = V.Sqrt(vi) / bc2 + eps;                                    // (v.sqrt() / √bc2).add_(eps)
            V.Store(x + negStep * mi / denom, ref Unsafe.Add(ref ps, i));       // param.addcdiv_(exp_avg, denom, value=−step_size)
        }
        return i;
    }
}
