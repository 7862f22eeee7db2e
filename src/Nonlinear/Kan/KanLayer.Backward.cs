using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

public sealed partial class KanLayer
{
    // Rows of gF = g·W computed at a time: dx needs gF only row by row, so it is never materialised whole
    // (a [batch, K] buffer would be as large as the features themselves).
    private const int BackwardRowBlock = 512;

    // Gradients of y = F·Wᵀ + b, W = fold(scale_base, scale_sp, coef, softmax(α), mask), F = expand(x).
    private Tensor?[] Backward(Tensor g, Tensor x, int n, float[] f, float[] w, float[] mix, List<Tensor> inputs)
    {
        int outF = OutFeatures, k = FeatureCount;
        var gc = g.Contiguous();
        var gs = gc.AsSpanUntracked();
        var result = new Tensor?[inputs.Count];
        if (inputs[0].RequiresGrad) result[0] = InputGrad(gs, x.AsSpanUntracked(), n, w);
        var gw = Rent(ref _spareGw, outF * k);
        Gemm.Sgemm(true, false, outF, k, n, 1f, gs, outF, f, k, 0f, gw, k);
        UnfoldWeightGrad(gw, mix, result);
        if (Bias is not null && Bias.RequiresGrad)
        {
            // Row after row: every column sums in the same order on every tier and thread count.
            var gb = new float[outF];
            for (int r = 0; r < n; r++) Reduce.AddInto(gb, gs.Slice(r * outF, outF));
            result[^1] = Tensor.FromArray(gb, outF);
        }
        _spareGw = gw;
        return result;
    }

    /// <summary>
    /// The chain rule from gW [out, K] back onto scale_base, scale_sp, each space's coef and mix_logits; fills their
    /// slots of <paramref name="result"/> (input order of the op), or adds straight into a leaf's kept gradient buffer
    /// (then its slot stays null). Output rows are independent, so they are split across threads without changing a bit.
    /// </summary>
    internal void UnfoldWeightGrad(float[] gw, float[] mix, Tensor?[] result)
    {
        int inF = InFeatures, outF = OutFeatures, ns = Spaces.Count;
        var t = new UnfoldTargets(this, result);
        // Per chunk: a_s[i] (double, ns·in) and the per-input scale (float, in), reused across calls.
        int chunks = outF * FeatureCount < (1 << 15) ? 1 : Math.Min(outF, 4 * Parallelism.MaxThreads);
        var scratchD = RentDouble(ref _spareUnfoldD, chunks * ns * inF);
        var scratchF = Rent(ref _spareUnfoldF, chunks * inF);
        Parallelism.For(chunks, c =>
        {
            int o0 = (int)((long)outF * c / chunks), o1 = (int)((long)outF * (c + 1) / chunks);
            var a = scratchD.AsSpan(c * ns * inF, ns * inF);
            var scale = scratchF.AsSpan(c * inF, inF);
            for (int o = o0; o < o1; o++) UnfoldRow(o, gw, mix, t, a, scale);
        });
        _spareUnfoldD = scratchD;
        _spareUnfoldF = scratchF;
        t.Publish(this, result);
    }

    // Where each parameter's gradient goes: a leaf's kept buffer (accumulate in place, as Linear does) or a fresh array.
    private sealed class UnfoldTargets
    {
        public readonly float[]? Sb, Sp, Mix;
        public readonly int SbOff, SpOff;
        public readonly bool SbAcc, SpAcc;
        public readonly float[][] Coef;
        public readonly int[] CoefOff;
        public readonly bool[] CoefAcc, CoefWant;
        public readonly bool NeedA;

        public UnfoldTargets(KanLayer l, Tensor?[] result)
        {
            int outF = l.OutFeatures, inF = l.InFeatures, ns = l.Spaces.Count;
            (Sb, SbOff, SbAcc) = Target(l.ScaleBase, outF * inF);
            (Sp, SpOff, SpAcc) = Target(l.ScaleSp, outF * inF);
            Coef = new float[ns][];
            CoefOff = new int[ns];
            CoefAcc = new bool[ns];
            CoefWant = new bool[ns];
            for (int s = 0; s < ns; s++)
            {
                (var buf, CoefOff[s], CoefAcc[s]) = Target(l.Coefficients[s], outF * inF * l.Spaces[s].Count);
                Coef[s] = buf ?? [];
                CoefWant[s] = buf is not null;
            }
            if (l.MixLogits is { RequiresGrad: true }) Mix = new float[outF * ns];
            NeedA = Sp is not null || Mix is not null;
        }

        private static (float[]? Buffer, int Offset, bool Accumulate) Target(Tensor? p, int length)
        {
            if (p is null || !p.RequiresGrad) return (null, 0, false);
            var target = Autograd.AccumulationTarget(p);
            return target is not null ? (target.Storage, target.Offset, true) : (new float[length], 0, false);
        }

        // Slots follow the op's input order: x, [scale_base], scale_sp, coef…, [mix_logits], [bias].
        public void Publish(KanLayer l, Tensor?[] result)
        {
            int outF = l.OutFeatures, inF = l.InFeatures, slot = 1;
            if (l.ScaleBase is not null) { if (Sb is not null && !SbAcc) result[slot] = Tensor.FromArray(Sb, outF, inF); slot++; }
            if (Sp is not null && !SpAcc) result[slot] = Tensor.FromArray(Sp, outF, inF);
            slot++;
            for (int s = 0; s < l.Spaces.Count; s++, slot++)
                if (CoefWant[s] && !CoefAcc[s]) result[slot] = Tensor.FromArray(Coef[s], outF, inF, l.Spaces[s].Count);
            if (Mix is not null) result[slot] = Tensor.FromArray(Mix, outF, l.Spaces.Count);
        }
    }

    // One output row o. gW's block of space s is Count contiguous runs of the inputs (column off + j·in + i), so the
    // loops run i innermost over contiguous memory; a_s[o, i] = Σ_j gW[o, col_s(i, j)]·coef_s[o, i, j] sums over j in
    // ascending order per i (the gradient w.r.t. the mask·scale_sp·p factor of space s).
    private void UnfoldRow(int o, float[] gw, float[] mix, UnfoldTargets t, Span<double> a, Span<float> scale)
    {
        int inF = InFeatures, k = FeatureCount, ns = Spaces.Count, e0 = o * inF;
        var mask = Mask.AsSpanUntracked().Slice(e0, inF);
        var ssp = ScaleSp.AsSpanUntracked().Slice(e0, inF);
        var gwRow = gw.AsSpan(o * k, k);
        if (t.Sb is not null)
        {
            var dst = t.Sb.AsSpan(t.SbOff + e0, inF);
            if (t.SbAcc) for (int i = 0; i < inF; i++) dst[i] += mask[i] * gwRow[i];
            else for (int i = 0; i < inF; i++) dst[i] = mask[i] * gwRow[i];
        }
        for (int s = 0; s < ns; s++)
        {
            int nb = Spaces[s].Count, off = _offsets[s];
            var c = Coefficients[s].AsSpanUntracked().Slice(e0 * nb, inF * nb);
            var acc = a.Slice(s * inF, inF);
            float ps = mix[o * ns + s];
            if (t.NeedA) acc.Clear();
            for (int i = 0; i < inF; i++) scale[i] = mask[i] * ssp[i] * ps;
            var gcoef = t.CoefWant[s] ? t.Coef[s].AsSpan(t.CoefOff[s] + e0 * nb, inF * nb) : default;
            for (int j = 0; j < nb; j++)
            {
                var gj = gwRow.Slice(off + j * inF, inF);
                if (t.NeedA) AccumulateDot(acc, gj, c[j..], nb);
                if (t.CoefWant[s]) ScaleInto(gcoef[j..], nb, gj, scale, t.CoefAcc[s]);
            }
        }
        if (t.Sp is not null)
        {
            var dst = t.Sp.AsSpan(t.SpOff + e0, inF);
            for (int i = 0; i < inF; i++)
            {
                double sum = 0;
                for (int s = 0; s < ns; s++) sum += mix[o * ns + s] * a[s * inF + i];
                float v = (float)(mask[i] * sum);
                if (t.SpAcc) dst[i] += v; else dst[i] = v;
            }
        }
        if (t.Mix is not null)
        {
            // ∂L/∂α_{o,s} = p_s·(G_s − Σ_t p_t·G_t), G_s = Σ_i mask·scale_sp·a_s (the softmax Jacobian).
            Span<double> gsum = stackalloc double[ns];
            double mean = 0;
            for (int s = 0; s < ns; s++)
            {
                double sum = 0;
                for (int i = 0; i < inF; i++) sum += mask[i] * ssp[i] * a[s * inF + i];
                gsum[s] = sum;
                mean += mix[o * ns + s] * sum;
            }
            for (int s = 0; s < ns; s++) t.Mix[o * ns + s] = (float)(mix[o * ns + s] * (gsum[s] - mean));
        }
    }

    // acc[i] += (double)g[i]·c[i·stride] (the product of two floats is exact in double: one rounding, in the add).
    // Refs instead of span indexing: the strided reads defeat bounds-check elimination, which tripled the loop's cost.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateDot(Span<double> acc, ReadOnlySpan<float> g, ReadOnlySpan<float> c, int stride)
    {
        if (c.Length < (long)(g.Length - 1) * stride + 1 || acc.Length < g.Length) throw new ArgumentException("strided operand too short.", nameof(c));
        ref double pa = ref MemoryMarshal.GetReference(acc);
        ref float pg = ref MemoryMarshal.GetReference(g), pc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < g.Length; i++) Unsafe.Add(ref pa, i) += (double)Unsafe.Add(ref pg, i) * Unsafe.Add(ref pc, (nint)i * stride);
    }

    // dst[i·stride] = g[i]·scale[i], or += when accumulating into a kept gradient buffer.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleInto(Span<float> dst, int stride, ReadOnlySpan<float> g, ReadOnlySpan<float> scale, bool accumulate)
    {
        if (dst.Length < (long)(g.Length - 1) * stride + 1 || scale.Length < g.Length) throw new ArgumentException("strided operand too short.", nameof(dst));
        ref float pd = ref MemoryMarshal.GetReference(dst);
        ref float pg = ref MemoryMarshal.GetReference(g), ps = ref MemoryMarshal.GetReference(scale);
        if (accumulate) for (int i = 0; i < g.Length; i++) Unsafe.Add(ref pd, (nint)i * stride) += Unsafe.Add(ref pg, i) * Unsafe.Add(ref ps, i);
        else for (int i = 0; i < g.Length; i++) Unsafe.Add(ref pd, (nint)i * stride) = Unsafe.Add(ref pg, i) * Unsafe.Add(ref ps, i);
    }

    // dx = Σ_blocks basis′(x)·(g·W)[block], one row block of g·W at a time, plus the symbolic edges' slopes.
    private Tensor InputGrad(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int n, float[] w)
    {
        int inF = InFeatures, outF = OutFeatures, k = FeatureCount;
        var dx = new float[n * inF];
        var gf = Rent(ref _spareGf, BackwardRowBlock * k);
        foreach (var s in Spaces) s.Prepare();
        for (int r0 = 0; r0 < n; r0 += BackwardRowBlock)
        {
            int rows = Math.Min(BackwardRowBlock, n - r0);
            Gemm.Sgemm(false, false, rows, k, outF, 1f, g.Slice(r0 * outF, rows * outF), outF, w, k, 0f, gf, k);
            var xb = x.Slice(r0 * inF, rows * inF);
            var db = dx.AsSpan(r0 * inF, rows * inF);
            var gfb = gf.AsSpan(0, rows * k);
            if (ScaleBase is not null) KanBasisDriver.AccumulateInputGrad(new SiluBase(), xb, rows, inF, gfb, k, 0, db, Tier);
            for (int s = 0; s < Spaces.Count; s++) Spaces[s].AccumulateInputGrad(xb, rows, gfb, k, _offsets[s], db, Tier);
        }
        _spareGf = gf;
        if (_symbolic.Count > 0) AddSymbolicInputGrad(g, x, n, dx);
        return Tensor.FromArray(dx, n, inF);
    }
}
