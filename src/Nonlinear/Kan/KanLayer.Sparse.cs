using Nonlinear.Kernels;

namespace Nonlinear.Kan;

public sealed partial class KanLayer
{
    /// <summary>
    /// Use the dense GEMM path even where the sparse cubic B-spline path applies (tests compare the two; results agree to
    /// float rounding, not bit for bit, because the sums run in a different order).
    /// </summary>
    public bool ForceDense { get; set; }

    /// <summary>
    /// True when the forward and the weight gradient skip the B-splines that are zero at each input: one cubic (k = 3)
    /// B-spline space, and no edge statistics to record (those need the dense features). Other layers use the dense GEMM.
    /// </summary>
    public bool UsesSparsePath => !ForceDense && !RecordEdgeStatistics && Spaces.Count == 1 && Spaces[0] is BSplineBasis { Order: 3 };

    // The padded weights' padding rows and lanes must stay zero, so this buffer is zeroed once and then only its live
    // entries are written.
    private float[]? _padded, _spareCompact, _spareGradPadded, _spareRowsPadded;

    private int PaddedRows => 1 + Spaces[0].Count + 2 * (SparseSplineKernels.Window - 1);

    private float[] CompactFeatures(ReadOnlySpan<float> x, int rows)
    {
        var splines = (BSplineBasis)Spaces[0];
        splines.Prepare();
        var f = Rent(ref _spareCompact, SparseSplineDriver.CompactLength(rows, InFeatures));
        SparseSplineDriver.Expand(splines.KernelForSparse, x, rows, InFeatures, f, Tier);
        return f;
    }

    // y (holding the bias or zeros) += the layer's output from compact features, through the padded copy of w.
    private void SparseForward(float[] f, int rows, float[] w, float[] y)
    {
        int r = PaddedRows, outP = SparseSplineDriver.PaddedOutputs(OutFeatures);
        var padded = SparseSplineDriver.Aligned(ref _padded, InFeatures * r * outP);
        TransposeWeights(w, padded, toPadded: true);
        var yp = outP == OutFeatures ? y : PadRows(y, rows, outP);
        SparseSplineDriver.Forward(f, rows, InFeatures, padded, r, yp, outP, Tier);
        if (yp != y)
        {
            for (int n = 0; n < rows; n++) yp.AsSpan(n * outP, OutFeatures).CopyTo(y.AsSpan(n * OutFeatures));
            _spareRowsPadded = yp;
        }
    }

    // gw [out, K] (dense layout, so the fold onto the parameters is shared with the dense path) from compact features.
    private void SparseWeightGrad(ReadOnlySpan<float> g, float[] f, int rows, float[] gw)
    {
        int r = PaddedRows, outP = SparseSplineDriver.PaddedOutputs(OutFeatures);
        var gwp = Rent(ref _spareGradPadded, InFeatures * r * outP);
        float[]? gp = null;
        if (outP != OutFeatures)
        {
            gp = PadRows(g, rows, outP);
            g = gp;
        }
        int intervals = ((BSplineBasis)Spaces[0]).GridSize + 2 * (SparseSplineKernels.Window - 1);
        SparseSplineDriver.WeightGrad(f, rows, InFeatures, intervals, g, outP, gwp, r, Tier);
        TransposeWeights(gw, gwp, toPadded: false);
        _spareGradPadded = gwp;
        if (gp is not null) _spareRowsPadded = gp;
    }

    private void TransposeWeights(float[] dense, Span<float> padded, bool toPadded) =>
        SparseSplineDriver.Transpose(dense, OutFeatures, FeatureCount, InFeatures, ScaleBase is not null, _offsets[0], Spaces[0].Count,
            SparseSplineKernels.Window - 1, padded, PaddedRows, toPadded);

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
