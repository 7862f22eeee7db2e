using Nonlinear.Tensors;

namespace Nonlinear.Kan;

public sealed partial class KanLayer
{
    /// <summary>When true, each forward fills <see cref="LastStatistics"/> (costs about one extra forward GEMM's work).</summary>
    public bool RecordEdgeStatistics { get; set; }

    /// <summary>Statistics of the last forward run with <see cref="RecordEdgeStatistics"/> set, else null.</summary>
    public KanEdgeStatistics? LastStatistics { get; private set; }

    /// <summary>
    /// The learned function of edge (o, i) at each x, in double: scale_base·silu(x) + scale_sp·Σ_s p_s·Σ_j coef·B_j(x),
    /// ignoring the mask and any symbolic replacement (what a plot of the spline or a symbolic fit needs).
    /// </summary>
    public double[] EdgeFunction(int o, int i, ReadOnlySpan<double> xs)
    {
        CheckEdge(o, i);
        var mix = MixWeights();
        int e = o * InFeatures + i, ns = Spaces.Count;
        double sb = ScaleBase is null ? 0 : ScaleBase.AsSpanUntracked()[e], sp = ScaleSp.AsSpanUntracked()[e];
        var ys = new double[xs.Length];
        for (int q = 0; q < xs.Length; q++)
        {
            double x = xs[q], v = sb == 0 ? 0 : sb * SiluBase.Reference(x);
            for (int s = 0; s < ns; s++)
            {
                var c = Coefficients[s].AsSpanUntracked();
                int nb = Spaces[s].Count;
                double acc = 0;
                for (int j = 0; j < nb; j++) acc += c[e * nb + j] * Spaces[s].Reference(i, j, x);
                v += sp * mix[o * ns + s] * acc;
            }
            ys[q] = v;
        }
        return ys;
    }

    /// <summary>What edge (o, i) adds to output o at each x: mask·<see cref="EdgeFunction"/> plus its symbolic function, if any.</summary>
    public double[] EdgeOutput(int o, int i, ReadOnlySpan<double> xs)
    {
        var ys = EdgeFunction(o, i, xs);
        float m = Mask.AsSpanUntracked()[o * InFeatures + i];
        _symbolic.TryGetValue((o, i), out var sym);
        for (int q = 0; q < ys.Length; q++) ys[q] = m * ys[q] + (sym?.Value(xs[q]) ?? 0);
        return ys;
    }

    /// <summary>Turns edge (o, i) on (mask 1) or off (mask 0, pruned).</summary>
    public void SetEdgeMask(int o, int i, bool active)
    {
        CheckEdge(o, i);
        Mask.AsSpanUntracked()[o * InFeatures + i] = active ? 1f : 0f;
    }

    /// <summary>True when edge (o, i)'s learned function is active (mask 1).</summary>
    public bool IsEdgeActive(int o, int i)
    {
        CheckEdge(o, i);
        return Mask.AsSpanUntracked()[o * InFeatures + i] != 0f;
    }

    /// <summary>
    /// Adds the fixed function <paramref name="edge"/> to edge (o, i); unless <paramref name="keepNumeric"/>, the learned
    /// function is masked out, so the edge becomes exactly c·f(a·x + b) + d (pykan's fix_symbolic).
    /// </summary>
    public void SetSymbolic(int o, int i, SymbolicEdge edge, bool keepNumeric = false)
    {
        ArgumentNullException.ThrowIfNull(edge);
        CheckEdge(o, i);
        _symbolic[(o, i)] = edge;
        if (!keepNumeric) SetEdgeMask(o, i, false);
    }

    /// <summary>Removes a symbolic function from edge (o, i) (the mask is left as it is).</summary>
    public void ClearSymbolic(int o, int i)
    {
        CheckEdge(o, i);
        _symbolic.Remove((o, i));
    }

    /// <summary>The symbolic function on edge (o, i), or null.</summary>
    public SymbolicEdge? GetSymbolic(int o, int i)
    {
        CheckEdge(o, i);
        return _symbolic.GetValueOrDefault((o, i));
    }

    /// <summary>Every edge that carries a symbolic function.</summary>
    public IEnumerable<(int Output, int Input, SymbolicEdge Edge)> SymbolicEdges =>
        _symbolic.OrderBy(p => p.Key).Select(p => (p.Key.O, p.Key.I, p.Value));

    private void CheckEdge(int o, int i)
    {
        if ((uint)o >= (uint)OutFeatures) throw new ArgumentOutOfRangeException(nameof(o), o, $"output must be in [0, {OutFeatures}).");
        if ((uint)i >= (uint)InFeatures) throw new ArgumentOutOfRangeException(nameof(i), i, $"input must be in [0, {InFeatures}).");
    }

    private void AddSymbolic(ReadOnlySpan<float> x, int n, float[] y)
    {
        foreach (var ((o, i), sym) in _symbolic)
            for (int r = 0; r < n; r++) y[r * OutFeatures + o] += (float)sym.Value(x[r * InFeatures + i]);
    }

    private void AddSymbolicInputGrad(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int n, float[] dx)
    {
        foreach (var ((o, i), sym) in _symbolic)
            for (int r = 0; r < n; r++) dx[r * InFeatures + i] += (float)(g[r * OutFeatures + o] * sym.Slope(x[r * InFeatures + i]));
    }

    // φ_{o,i}(x_n) = Σ_blocks F[n, col(i)]·W[o, col(i)] for all i at once (columns of one input are Inputs apart).
    private KanEdgeStatistics ComputeStatistics(ReadOnlySpan<float> x, int n, float[] f, float[] w, float[] y)
    {
        int inF = InFeatures, outF = OutFeatures, k = FeatureCount, blocks = k / inF;
        var st = new KanEdgeStatistics(outF, inF, n);
        x.CopyTo(st.InputSamples);
        st.InputMin.AsSpan().Fill(float.PositiveInfinity);
        st.InputMax.AsSpan().Fill(float.NegativeInfinity);
        var sum = new double[outF * inF];
        var phi = new float[inF];
        for (int r = 0; r < n; r++)
        {
            var xr = x.Slice(r * inF, inF);
            for (int i = 0; i < inF; i++) { st.InputMin[i] = Math.Min(st.InputMin[i], xr[i]); st.InputMax[i] = Math.Max(st.InputMax[i], xr[i]); }
            for (int o = 0; o < outF; o++)
            {
                phi.AsSpan().Clear();
                for (int bk = 0; bk < blocks; bk++)
                {
                    var fr = f.AsSpan(r * k + bk * inF, inF);
                    var wr = w.AsSpan(o * k + bk * inF, inF);
                    for (int i = 0; i < inF; i++) phi[i] += fr[i] * wr[i];
                }
                for (int i = 0; i < inF; i++) sum[o * inF + i] += Math.Abs(phi[i] + (_symbolic.TryGetValue((o, i), out var s) ? s.Value(xr[i]) : 0));
                st.OutputMeanAbs[o] += Math.Abs(y[r * outF + o]) / n;
            }
        }
        for (int e = 0; e < sum.Length; e++) st.MeanAbs[e] = (float)(sum[e] / Math.Max(n, 1));
        return st;
    }
}
