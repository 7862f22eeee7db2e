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
        int inF = InFeatures, outF = OutFeatures, k = FeatureCount, ns = Spaces.Count;
        var gc = g.Contiguous();
        var gs = gc.AsSpan();
        var result = new Tensor?[inputs.Count];
        int slot = 0;

        if (inputs[0].RequiresGrad) result[0] = InputGrad(gs, x.AsSpan(), n, w);
        slot++;

        var gw = Rent(ref _spareGw, outF * k);
        Gemm.Sgemm(true, false, outF, k, n, 1f, gs, outF, f, k, 0f, gw, k);
        var mask = Mask.AsSpan();
        var ssp = ScaleSp.AsSpan();
        if (ScaleBase is not null)
        {
            if (ScaleBase.RequiresGrad)
            {
                var gsb = new float[outF * inF];
                for (int o = 0; o < outF; o++)
                    for (int i = 0; i < inF; i++) gsb[o * inF + i] = mask[o * inF + i] * gw[o * k + i];
                result[slot] = Tensor.FromArray(gsb, outF, inF);
            }
            slot++;
        }
        // a[s][o, i] = Σ_j gW[o, col_s(i, j)]·coef_s[o, i, j]: the gradient w.r.t. the (mask·scale_sp·p)-factor of space s.
        var a = new double[ns][];
        var gcoef = new float[ns][];
        for (int s = 0; s < ns; s++)
        {
            int nb = Spaces[s].Count, off = _offsets[s];
            var c = Coefficients[s].AsSpan();
            a[s] = new double[outF * inF];
            // Like Linear: a leaf that keeps its gradient buffer (ZeroGrad) receives the gradient in place.
            var target = Autograd.AccumulationTarget(Coefficients[s]);
            bool accumulate = target is not null;
            gcoef[s] = accumulate ? target!.Storage : Coefficients[s].RequiresGrad ? new float[outF * inF * nb] : [];
            int gOff = accumulate ? target!.Offset : 0;
            bool wantCoef = Coefficients[s].RequiresGrad;
            for (int o = 0; o < outF; o++)
            {
                float ps = mix[o * ns + s];
                for (int i = 0; i < inF; i++)
                {
                    int e = o * inF + i, cb = e * nb;
                    float scale = mask[e] * ssp[e] * ps;
                    double acc = 0;
                    for (int j = 0; j < nb; j++)
                    {
                        float gwj = gw[o * k + off + j * inF + i];
                        acc += (double)gwj * c[cb + j];
                        if (!wantCoef) continue;
                        if (accumulate) gcoef[s][gOff + cb + j] += gwj * scale;
                        else gcoef[s][cb + j] = gwj * scale;
                    }
                    a[s][e] = acc;
                }
            }
        }
        if (ScaleSp.RequiresGrad)
        {
            var gsp = new float[outF * inF];
            for (int o = 0; o < outF; o++)
                for (int i = 0; i < inF; i++)
                {
                    double acc = 0;
                    for (int s = 0; s < ns; s++) acc += mix[o * ns + s] * a[s][o * inF + i];
                    gsp[o * inF + i] = (float)(mask[o * inF + i] * acc);
                }
            result[slot] = Tensor.FromArray(gsp, outF, inF);
        }
        slot++;
        for (int s = 0; s < ns; s++, slot++)
            if (Coefficients[s].RequiresGrad && Autograd.AccumulationTarget(Coefficients[s]) is null)
                result[slot] = Tensor.FromArray(gcoef[s], outF, inF, Spaces[s].Count);
        if (MixLogits is not null)
        {
            if (MixLogits.RequiresGrad)
            {
                // ∂L/∂α_{o,s} = p_s·(G_s − Σ_t p_t·G_t), G_s = Σ_i mask·scale_sp·a_s (the softmax Jacobian).
                var gl = new float[outF * ns];
                var gsum = new double[ns];
                for (int o = 0; o < outF; o++)
                {
                    double mean = 0;
                    for (int s = 0; s < ns; s++)
                    {
                        double acc = 0;
                        for (int i = 0; i < inF; i++) acc += mask[o * inF + i] * ssp[o * inF + i] * a[s][o * inF + i];
                        gsum[s] = acc;
                        mean += mix[o * ns + s] * acc;
                    }
                    for (int s = 0; s < ns; s++) gl[o * ns + s] = (float)(mix[o * ns + s] * (gsum[s] - mean));
                }
                result[slot] = Tensor.FromArray(gl, outF, ns);
            }
            slot++;
        }
        if (Bias is not null && Bias.RequiresGrad)
        {
            var gb = new float[outF];
            for (int r = 0; r < n; r++)
            {
                var row = gs.Slice(r * outF, outF);
                for (int o = 0; o < outF; o++) gb[o] += row[o];
            }
            result[slot] = Tensor.FromArray(gb, outF);
        }
        _spareGw = gw;
        return result;
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
