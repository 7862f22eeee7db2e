using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

public sealed partial class KanLayer
{
    /// <summary>
    /// pykan's update_grid_from_samples: moves each input's B-spline grid to the data and refits the coefficients
    /// so the spline part of every edge is preserved in the least-squares sense on the samples.
    /// </summary>
    /// <remarks>
    /// For input i with sorted samples x_(0) ≤ … ≤ x_(N−1): adaptive points a_g = x_(⌊N·g/G⌋) (g &lt; G) and a_G = x_(N−1),
    /// uniform points u_g = a_0 + g·(a_G − a_0)/G, grid g = ε·u + (1 − ε)·a with ε = <see cref="KanOptions.GridEps"/>,
    /// extended by k points on each side. The coefficients solve min Σ_n (Σ_j c′_j·B′_j(x_n) − Σ_j c_j·B_j(x_n))² in
    /// double (ridge 1e-8, as pykan's curve2coef). An input whose samples do not span an interval keeps its grid;
    /// one whose mixed points are not strictly increasing (ε = 0 with repeated quantiles) takes the uniform points.
    /// </remarks>
    /// <param name="x">Inputs of this layer [N, in] (before its LayerNorm, if any), N ≥ 2.</param>
    public void UpdateGridFromSamples(Tensor x)
    {
        var bs = Splines ?? throw new InvalidOperationException($"UpdateGridFromSamples needs a B-spline space; this layer has [{string.Join(", ", Spaces)}].");
        var xs = LayerInputs(x, nameof(x));
        int n = xs.Length / InFeatures, s = SpaceIndex(bs), nb = bs.Count, g = bs.GridSize;
        if (n < 2) throw new ArgumentException($"x needs at least 2 samples; got {n}.", nameof(x));
        var coef = Coefficients[s].AsSpanUntracked();
        var col = new double[n];
        var design = new double[n * nb];
        var target = new double[n * OutFeatures];
        var sol = new double[nb * OutFeatures];
        var pts = new double[g + 1];
        for (int i = 0; i < InFeatures; i++)
        {
            for (int r = 0; r < n; r++) col[r] = xs[r * InFeatures + i];
            Array.Sort(col);
            if (!(col[^1] > col[0])) continue;
            EvaluateSplines(bs, i, col, coef, design, target);
            SampleGrid(col, Options.GridEps, pts);
            bs.SetGrid(i, pts);
            FitSplines(bs, i, col, design, target, sol, coef);
        }
    }

    /// <summary>
    /// pykan's refine / initialize_grid_from_parent: a copy of this layer whose B-splines have
    /// <paramref name="gridSize"/> intervals and whose spline part fits this layer's by least squares.
    /// </summary>
    /// <remarks>
    /// With samples <paramref name="x"/> (this layer's inputs [N, in]) each input's new grid follows them by the rule of
    /// <see cref="UpdateGridFromSamples"/> (as pykan's initialize_grid_from_parent), and the new splines are fitted to the
    /// old ones at the samples. Without samples the new grid points interpolate the old ones piecewise linearly at G′ + 1
    /// evenly spaced fractional positions (a uniform grid stays uniform over the same range) and the fit uses 40·G′ + 1
    /// evenly spaced points over it; then going from G to a multiple of G on a uniform grid is exact inside the grid
    /// (the old spline lies in the new space).
    /// Every other parameter, the mask and the symbolic edges are copied.
    /// </remarks>
    public KanLayer Refine(int gridSize, Tensor? x = null)
    {
        var bs = Splines ?? throw new InvalidOperationException($"Refine needs a B-spline space; this layer has [{string.Join(", ", Spaces)}].");
        var child = new KanLayer(InFeatures, OutFeatures, Options with { GridSize = gridSize }, new Rng(0));
        using (Autograd.NoGrad())
        {
            var own = StateDict();
            foreach (var (key, t) in child.StateDict())
                if (own.TryGetValue(key, out var src) && Shapes.Equal(src.Shape, t.Shape)) src.AsSpanUntracked().CopyTo(t.AsSpanUntracked());
        }
        foreach (var ((o, i), sym) in _symbolic) child._symbolic[(o, i)] = sym;
        var nbs = child.Splines!;
        int s = SpaceIndex(bs), g = bs.GridSize, nb = nbs.Count, k = bs.Order;
        float[]? xs = x is null ? null : LayerInputs(x, nameof(x));
        int n = xs is null ? 40 * gridSize + 1 : xs.Length / InFeatures;
        var col = new double[n];
        var design = new double[n * nb];
        var target = new double[n * OutFeatures];
        var sol = new double[nb * OutFeatures];
        var pts = new double[gridSize + 1];
        var oldCoef = Coefficients[s].AsSpanUntracked();
        var newCoef = child.Coefficients[s].AsSpanUntracked();
        for (int i = 0; i < InFeatures; i++)
        {
            for (int q = 0; q <= gridSize; q++)
            {
                double pos = (double)q * g / gridSize;
                int lo = Math.Min((int)pos, g - 1);
                double a = bs.Knot(i, lo + k), b = bs.Knot(i, lo + 1 + k);
                pts[q] = a + (pos - lo) * (b - a);
            }
            for (int r = 0; r < n; r++)
                col[r] = xs is null ? pts[0] + (pts[^1] - pts[0]) * r / (n - 1) : xs[r * InFeatures + i];
            if (xs is not null)
            {
                Array.Sort(col);
                if (col[^1] > col[0]) SampleGrid(col, Options.GridEps, pts);
            }
            nbs.SetGrid(i, pts);
            EvaluateSplines(bs, i, col, oldCoef, new double[n * bs.Count], target);
            FitSplines(nbs, i, col, design, target, sol, newCoef);
        }
        return child;
    }

    // pykan's get_grid on sorted samples: ε·uniform + (1 − ε)·quantile points; uniform when the mix is not strictly increasing.
    private static void SampleGrid(double[] sorted, double eps, double[] pts)
    {
        int n = sorted.Length, g = pts.Length - 1;
        double h = (sorted[^1] - sorted[0]) / g;
        bool increasing = true;
        for (int q = 0; q <= g; q++)
        {
            double adaptive = q == g ? sorted[^1] : sorted[(int)((long)n * q / g)];
            pts[q] = eps * (sorted[0] + q * h) + (1 - eps) * adaptive;
            if (q > 0 && !(pts[q] > pts[q - 1])) increasing = false;
        }
        if (!increasing) for (int q = 0; q <= g; q++) pts[q] = sorted[0] + q * h;
    }

    private int SpaceIndex(KanBasis basis)
    {
        for (int s = 0; s < Spaces.Count; s++) if (ReferenceEquals(Spaces[s], basis)) return s;
        throw new InvalidOperationException("basis is not a space of this layer.");
    }

    // The layer's inputs as the splines see them (after the optional LayerNorm), row-major.
    private float[] LayerInputs(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.Rank != 2 || x.Size(1) != InFeatures)
            throw new ArgumentException($"{name} must be [N, {InFeatures}]; got {Shapes.Format(x.Shape)}.", name);
        using var _ = Autograd.NoGrad();
        var h = Norm is null ? x : Norm.Forward(x);
        return h.Contiguous().ToArray();
    }

    // target[r, o] = Σ_j coef[o, i, j]·B_j(x_r) (the spline part, without scale_sp), design[r, j] = B_j(x_r).
    private void EvaluateSplines(BSplineBasis bs, int i, double[] xs, ReadOnlySpan<float> coef, double[] design, double[] target)
    {
        int nb = bs.Count;
        for (int r = 0; r < xs.Length; r++)
        {
            var row = design.AsSpan(r * nb, nb);
            bs.ReferenceAll(i, xs[r], row);
            for (int o = 0; o < OutFeatures; o++)
            {
                double acc = 0;
                int cb = (o * InFeatures + i) * nb;
                for (int j = 0; j < nb; j++) acc += coef[cb + j] * row[j];
                target[r * OutFeatures + o] = acc;
            }
        }
    }

    // Least-squares coefficients of input i's splines (all outputs at once) on the basis's current grid.
    private void FitSplines(BSplineBasis bs, int i, double[] xs, double[] design, double[] target, double[] sol, Span<float> coef)
    {
        int nb = bs.Count;
        for (int r = 0; r < xs.Length; r++) bs.ReferenceAll(i, xs[r], design.AsSpan(r * nb, nb));
        LeastSquares.SolveRidge(design, xs.Length, nb, target, OutFeatures, 1e-8, sol);
        for (int o = 0; o < OutFeatures; o++)
            for (int j = 0; j < nb; j++) coef[(o * InFeatures + i) * nb + j] = (float)sol[j * OutFeatures + o];
    }
}
