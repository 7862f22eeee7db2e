using System.Runtime.CompilerServices;
using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

public sealed partial class KanLayer
{
    /// <summary>
    /// The createGraph rule of the fused layer: the same y = F(x)·Wᵀ + b rebuilt from recorded ops (silu as x·σ(x), the
    /// B-spline features as <see cref="SplineFeatures"/>, W folded with Mul/Concat), differentiated with the gradient
    /// recorded. Every order of derivative follows (B-spline derivatives above the order are exactly 0), which
    /// physics-informed training needs (∂/∂θ of ∂²u/∂x²).
    /// </summary>
    /// <exception cref="InvalidOperationException">Symbolic edges or several mixed basis spaces: no createGraph path yet.</exception>
    private Tensor?[] DifferentiableBackward(Tensor g, Tensor[] inputs)
    {
        if (_symbolic.Count > 0)
            throw new InvalidOperationException("kan_layer: createGraph (higher-order gradients) through symbolic edges is not supported yet.");
        if (Spaces.Count != 1)
            throw new InvalidOperationException($"kan_layer: createGraph (higher-order gradients) supports one basis space; this layer mixes [{string.Join(", ", Spaces.Select(s => s.Name))}].");
        var y = ComposedForward(inputs[0], Spaces[0]);
        var wanted = inputs.Where(t => t.RequiresGrad).ToArray();
        var grads = Autograd.Grad([y], wanted, [g], createGraph: true, allowUnused: true);
        var result = new Tensor?[inputs.Length];
        for (int i = 0, w = 0; i < inputs.Length; i++) if (inputs[i].RequiresGrad) result[i] = grads[w++];
        return result;
    }

    // The first-order rule once the saved features and weights are gone: expand and fold again (dense path).
    private Tensor?[] RebuiltBackward(Tensor g, Tensor x, int n, List<Tensor> inputs)
    {
        var mix = MixWeights();
        return Backward(g, x, n, Features(x.AsSpanUntracked(), n), FoldedWeights(mix), mix, inputs);
    }

    // y = [silu(x) | B(x)]·Wᵀ + b with W = [mask·scale_base | (mask·scale_sp)·coef laid out j-major], all recorded.
    private Tensor ComposedForward(Tensor x, KanBasis basis)
    {
        int outF = OutFeatures, inF = InFeatures, nb = basis.Count;
        var columns = new List<Tensor>();
        var blocks = new List<Tensor>();
        if (ScaleBase is not null)
        {
            columns.Add(Ops.Mul(x, Ops.Reciprocal(Ops.AddScalar(Ops.Exp(Ops.Neg(x)), 1f))));
            blocks.Add(Ops.Mul(Mask, ScaleBase));
        }
        columns.Add(basis.RecordedFeatures(x));
        var scale = Ops.Reshape(Ops.Mul(Mask, ScaleSp), outF, inF, 1);
        var coef = Ops.Mul(Coefficients[0], scale);                                     // [out, in, nb]
        blocks.Add(Ops.Reshape(Ops.Permute(coef, 0, 2, 1), outF, nb * inF));           // column j·in + i
        var f = columns.Count == 1 ? columns[0] : Ops.Concat(columns, 1);
        var w = blocks.Count == 1 ? blocks[0] : Ops.Concat(blocks, 1);
        return Ops.Linear(f, w, Bias);
    }

    /// <summary>
    /// The d-th derivatives of the B-spline functions, [n, Count·in] with column j·in + i = B_j^(d)(x_i) (the layer's
    /// feature layout), evaluated in double by Cox–de Boor on the layer's knots. Recorded: its gradient is
    /// Σ_j g_j·B_j^(d+1)(x_i), itself recorded, so every order follows; above the spline order it is 0.
    /// </summary>
    internal static Tensor SplineFeatures(BSplineBasis splines, Tensor x, int d)
    {
        int n = x.Size(0), inF = x.Size(1), nb = splines.Count;
        var f = d <= splines.Order ? AllOrders(splines, x)[d] : new float[n * nb * inF];
        var y = Tensor.FromArray(f, n, nb * inF);
        if (d >= splines.Order) return y;   // the next derivative is 0: nothing to record
        return Autograd.RecordComposed(y, "bspline_features", [x], g =>
            [Ops.Sum(Ops.Reshape(Ops.Mul(g, SplineFeatures(splines, x, d + 1)), n, nb, inF), 1)], saved: [x]);
    }

    // One createGraph pass asks for the features of the same x at several orders, several times (each Grad through the
    // layer rebuilds its forward): all orders are computed once per (x, grid) and kept with x while x lives.
    private sealed record SplineCache(BSplineBasis Basis, int XVersion, int GridVersion, float[][] Orders);
    private static readonly ConditionalWeakTable<Tensor, SplineCache> SplineCaches = new();

    private static float[][] AllOrders(BSplineBasis s, Tensor x)
    {
        if (SplineCaches.TryGetValue(x, out var c) && ReferenceEquals(c.Basis, s) && c.XVersion == x.Version && c.GridVersion == s.Grid.Version)
            return c.Orders;
        int n = x.Size(0), inF = x.Size(1), nb = s.Count, k = s.Order, nk = s.GridSize + 2 * k + 1;
        var xs = x.Contiguous().AsSpanUntracked();
        var grid = s.Grid.AsSpanUntracked();
        var orders = new float[k + 1][];
        for (int d = 0; d <= k; d++) orders[d] = new float[n * nb * inF];
        var t = new double[nk];
        var v = new double[nk];
        for (int i = 0; i < inF; i++)
        {
            for (int m = 0; m < nk; m++) t[m] = grid[i * nk + m];
            for (int r = 0; r < n; r++)
                for (int d = 0; d <= k; d++)
                {
                    DerivativeAll(t, k, xs[r * inF + i], d, v);
                    var o = orders[d];
                    for (int j = 0; j < nb; j++) o[(r * nb + j) * inF + i] = (float)v[j];
                }
        }
        SplineCaches.AddOrUpdate(x, new SplineCache(s, x.Version, s.Grid.Version, orders));
        return orders;
    }

    // B_j^(d)(x) for every j on knots t (order k): Cox–de Boor up to order k − d, then d raising steps
    // B^(e)_{m,p} = p·(B^(e−1)_{m,p−1}/(t_{m+p} − t_m) − B^(e−1)_{m+1,p−1}/(t_{m+p+1} − t_{m+1})).
    private static void DerivativeAll(double[] t, int k, double x, int d, double[] b)
    {
        int nk = t.Length;
        for (int m = 0; m < nk - 1; m++) b[m] = t[m] <= x && x < t[m + 1] ? 1 : 0;
        for (int p = 1; p <= k - d; p++)
            for (int m = 0; m < nk - 1 - p; m++)
            {
                double l = t[m + p] - t[m], r = t[m + p + 1] - t[m + 1];
                b[m] = (l > 0 ? (x - t[m]) / l * b[m] : 0) + (r > 0 ? (t[m + p + 1] - x) / r * b[m + 1] : 0);
            }
        for (int p = k - d + 1; p <= k; p++)
            for (int m = 0; m < nk - 1 - p; m++)
            {
                double l = t[m + p] - t[m], r = t[m + p + 1] - t[m + 1];
                b[m] = p * ((l > 0 ? b[m] / l : 0) - (r > 0 ? b[m + 1] / r : 0));
            }
    }
}
