using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

public sealed partial class KanLayer
{
    /// <summary>
    /// Which computation a cubic B-spline layer uses: <see cref="KanSplinePath.Auto"/> (default) picks the cheaper by a
    /// cost model measured on the reference machine; the others force one (tests compare them; they agree to float
    /// rounding, not bit for bit, because their sums run in different orders).
    /// </summary>
    public KanSplinePath SplinePath { get; set; }

    /// <summary>
    /// True when the layer skips the B-splines that are zero at each input (forward, weight gradient and input gradient
    /// touch only the base row and the k + 1 = 4 live functions, <see cref="SparseSplineDriver"/>). Possible with one cubic
    /// (k = 3) B-spline space and no edge statistics to record (those need the dense features); chosen by
    /// <see cref="SplinePath"/>.
    /// </summary>
    public bool UsesSparsePath =>
        SplinePath != KanSplinePath.Dense && !RecordEdgeStatistics && Spaces.Count == 1 && Spaces[0] is BSplineBasis { Order: 3 } b &&
        (SplinePath == KanSplinePath.Sparse || SparseIsCheaper(b.Count, OutFeatures));

    // Per sample and input, in ns of wall time for a forward+backward on 2 threads of the reference machine, fitted to
    // `bench/kan-side-by-side.sh` (both paths at G = 5 and 20, 64, 256 and 784 inputs, 64 and 256 outputs; 2026-11-23
    // 16:23 UTC, BENCHMARKS.md): the sparse path ≈ 9.7 + 0.7·(G + k) + 16.2 per tile of 64 outputs (a partial tile costs a
    // whole one); the dense path ≈ 8.6 + (1.6 + 0.5/tiles)·(1 + G + k)·outputs/64 (its GEMMs get more efficient as they
    // widen). So the dense path wins at G = 5 (256→256: 18.2 against 21.0 ms) and for narrow layers such as the KAN
    // paper's [2, 5, 1] at any grid; the sparse path wins on fine grids from 64 outputs on (G = 20, 256→256: 24.9 against
    // 39.8 ms; 784→64: 36.0 against 51.1 ms).
    private static bool SparseIsCheaper(int splineColumns, int outputs)
    {
        int tiles = SparseSplineDriver.PaddedOutputs(outputs) / SparseSplineKernels.Tile;
        double sparse = 9.7 + 0.7 * splineColumns + 16.2 * tiles;
        double dense = 8.6 + (1.6 + 0.5 / tiles) * (1 + splineColumns) * outputs / SparseSplineKernels.Tile;
        return sparse < dense;
    }

    // Padded weights are pinned and 64-byte aligned, and their padding rows and lanes must stay zero: a buffer is zeroed
    // when allocated and afterwards only its live entries are written.
    private float[]? _sparePadded, _spareGradPadded, _spareRowsPadded;
    private SparseSplineBuckets? _spareBuckets;

    private int PaddedRows => 1 + Spaces[0].Count + 2 * (SparseSplineKernels.Window - 1);
    private int PaddedLength => InFeatures * PaddedRows * SparseSplineDriver.PaddedOutputs(OutFeatures);

    private Tensor ApplySparse(Tensor x)
    {
        int n = x.Size(0), outF = OutFeatures, outP = SparseSplineDriver.PaddedOutputs(outF);
        var xc = x.Contiguous();
        var xs = xc.AsSpanUntracked();
        var splines = (BSplineBasis)Spaces[0];
        splines.Prepare();
        var buckets = _spareBuckets ?? new SparseSplineBuckets();
        _spareBuckets = null;
        // dx needs the derivative windows; computing them now, from the same recursion, is cheaper than a second pass.
        buckets.Build(splines.KernelForSparse, xs, n, InFeatures, Tier, derivatives: x.RequiresGrad && Autograd.ShouldRecord([x]));
        var paddedStore = _sparePadded;
        _sparePadded = null;
        var wp = SparseSplineDriver.Aligned(ref paddedStore, PaddedLength);
        SparseSplineDriver.Fold(ScaleBase is null ? ReadOnlySpan<float>.Empty : ScaleBase.AsSpanUntracked(), ScaleSp.AsSpanUntracked(), Coefficients[0].AsSpanUntracked(), Mask.AsSpanUntracked(), outF, InFeatures,
            splines.Count, wp, PaddedRows);
        var y = GC.AllocateUninitializedArray<float>(n * outF);
        var yp = outP == outF ? y : Rent(ref _spareRowsPadded, n * outP);
        for (int r = 0; r < n; r++)
        {
            var row = yp.AsSpan(r * outP, outP);
            if (Bias is not null) Bias.AsSpanUntracked().CopyTo(row);
            else row[..outF].Clear();
            row[outF..].Clear();
        }
        SparseSplineDriver.Forward(buckets, wp, PaddedRows, yp, outP, Tier);
        if (yp != y)
        {
            for (int r = 0; r < n; r++) yp.AsSpan(r * outP, outF).CopyTo(y.AsSpan(r * outF));
            _spareRowsPadded = yp;
        }
        if (_symbolic.Count > 0) AddSymbolic(xs, n, y);
        var yt = Tensor.FromArray(y, n, outF);
        var inputs = new List<Tensor> { x };
        if (ScaleBase is not null) inputs.Add(ScaleBase);
        inputs.Add(ScaleSp);
        inputs.Add(Coefficients[0]);
        if (Bias is not null) inputs.Add(Bias);
        var inputArray = inputs.ToArray();
        if (!Autograd.ShouldRecord(inputArray))
        {
            _spareBuckets = buckets;
            _sparePadded = paddedStore;
            return yt;
        }
        var xd = xc.Detach();
        bool consumed = false;
        return Autograd.Record(yt, "kan_layer", inputArray, g =>
        {
            // As in the dense path: the saved buffers go back to the layer after one backward.
            if (consumed) return RebuiltBackward(g, xd, n, [.. inputArray]);
            consumed = true;
            var grads = SparseBackward(g, xd, n, buckets, paddedStore!, inputArray);
            _spareBuckets = buckets;
            _sparePadded = paddedStore;
            return grads;
        }, saved: null, differentiable: g => DifferentiableBackward(g, inputArray));
    }

    // Gradients of y = Σ_i (silu row + live window rows of wp) + b for x, scale_base, scale_sp, coef and bias.
    private Tensor?[] SparseBackward(Tensor g, Tensor x, int n, SparseSplineBuckets buckets, float[] paddedStore, Tensor[] inputs)
    {
        int inF = InFeatures, outF = OutFeatures, outP = SparseSplineDriver.PaddedOutputs(outF), rows = PaddedRows;
        var splines = (BSplineBasis)Spaces[0];
        splines.Prepare();
        var gc = g.Contiguous();
        var gs = gc.AsSpanUntracked();
        float[]? gpStore = outP == outF ? null : PadRows(gs, n, outP);
        ReadOnlySpan<float> gp = gpStore ?? gs;
        float[]? store = paddedStore;
        var wp = SparseSplineDriver.Aligned(ref store, PaddedLength);
        var result = new Tensor?[inputs.Length];
        if (inputs[0].RequiresGrad)
        {
            if (!buckets.HasDerivatives) buckets.Build(splines.KernelForSparse, x.AsSpanUntracked(), n, inF, Tier, derivatives: true);
            var dx = new float[n * inF];
            SparseSplineDriver.InputGrad(buckets, wp, rows, gp, outP, dx, Tier);
            if (_symbolic.Count > 0) AddSymbolicInputGrad(gs, x.AsSpanUntracked(), n, dx);
            result[0] = Tensor.FromArray(dx, n, inF);
        }
        var gwp = SparseSplineDriver.Aligned(ref _spareGradPadded, PaddedLength);
        SparseSplineDriver.WeightGrad(buckets, gp, outP, gwp, rows, Tier);
        int slot = 1;
        var coef = Coefficients[0];
        var target = Autograd.AccumulationTarget(coef);
        float[]? gsb = ScaleBase is { RequiresGrad: true } ? new float[outF * inF] : null;
        float[]? gsp = ScaleSp.RequiresGrad ? new float[outF * inF] : null;
        float[]? gcoef = coef.RequiresGrad && target is null ? new float[coef.AsSpanUntracked().Length] : null;
        SparseSplineDriver.Unfold(gwp, rows, ScaleSp.AsSpanUntracked(), coef.AsSpanUntracked(), Mask.AsSpanUntracked(), outF, inF, splines.Count, gsb, gsp,
            gcoef ?? (target is not null ? target.Storage : null), target?.Offset ?? 0, accumulate: target is not null);
        if (ScaleBase is not null) { if (gsb is not null) result[slot] = Tensor.FromArray(gsb, outF, inF); slot++; }
        if (gsp is not null) result[slot] = Tensor.FromArray(gsp, outF, inF);
        slot++;
        if (gcoef is not null) result[slot] = Tensor.FromArray(gcoef, coef.Shape.ToArray());
        slot++;
        if (Bias is { RequiresGrad: true }) result[slot] = Tensor.FromArray(BiasGrad(gs, n, outF), outF);
        if (gpStore is not null) _spareRowsPadded = gpStore;
        return result;
    }

    // Σ_n g[n, o].
    private static float[] BiasGrad(ReadOnlySpan<float> g, int n, int outF)
    {
        var gb = new float[outF];
        for (int r = 0; r < n; r++)
        {
            var row = g.Slice(r * outF, outF);
            for (int o = 0; o < outF; o++) gb[o] += row[o];
        }
        return gb;
    }

    // A copy of a [rows, out] matrix with rows widened to whole tiles (zero in the extra lanes).
    private float[] PadRows(ReadOnlySpan<float> source, int rows, int paddedOutputs)
    {
        var p = Rent(ref _spareRowsPadded, rows * paddedOutputs);
        for (int n = 0; n < rows; n++)
        {
            source.Slice(n * OutFeatures, OutFeatures).CopyTo(p.AsSpan(n * paddedOutputs));
            p.AsSpan(n * paddedOutputs + OutFeatures, paddedOutputs - OutFeatures).Clear();
        }
        return p;
    }
}
