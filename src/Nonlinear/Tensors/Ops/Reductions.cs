using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Σ over dimension <paramref name="dim"/> (torch.sum(x, dim, keepdim)); backward broadcasts g back.
    /// Summation order is fixed (see <see cref="Reduce"/>): along the last axis by 16 partial sums, along
    /// other axes row after row, so results are reproducible bit for bit.
    /// </summary>
    public static Tensor Sum(Tensor x, int dim, bool keepDim = false)
    {
        var (outer, n, inner, d) = Layout(x, dim);
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var y = new Tensor(new float[outer * inner], ReducedShape(x.Shape, d, keepDim));
        SumInto(xc, outer, n, inner, y.AsSpanUntracked());
        var inShape = x.Shape.ToArray();
        var kept = ReducedShape(x.Shape, d, true);
        return Autograd.RecordComposed(y, "sum", [x], g => [Expand(Reshape(g, kept), inShape)], saved: []);
    }

    /// <summary>Σ of all elements as a rank-0 tensor (torch.sum(x)); 0 for an empty tensor.</summary>
    public static Tensor Sum(Tensor x)
    {
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var y = Scalar(Reduce.Sum(xc.AsSpanUntracked()));
        var inShape = x.Shape.ToArray();
        return Autograd.RecordComposed(y, "sum_all", [x], g => [Expand(g, inShape)], saved: []);
    }

    /// <summary>Mean over dimension <paramref name="dim"/> (torch.mean(x, dim, keepdim)): Sum/n; NaN when n = 0; backward g/n broadcast.</summary>
    public static Tensor Mean(Tensor x, int dim, bool keepDim = false)
    {
        var (outer, n, inner, d) = Layout(x, dim);
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var y = new Tensor(new float[outer * inner], ReducedShape(x.Shape, d, keepDim));
        var ys = y.AsSpanUntracked();
        SumInto(xc, outer, n, inner, ys);
        float inv = 1f / n;
        for (int i = 0; i < ys.Length; i++) ys[i] = n == 0 ? float.NaN : ys[i] * inv;
        var inShape = x.Shape.ToArray();
        var kept = ReducedShape(x.Shape, d, true);
        return Autograd.RecordComposed(y, "mean", [x], g => [Expand(MulScalar(Reshape(g, kept), inv), inShape)], saved: []);
    }

    /// <summary>Mean of all elements as a rank-0 tensor (torch.mean(x)); NaN for an empty tensor.</summary>
    public static Tensor Mean(Tensor x)
    {
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        int n = x.Length;
        float inv = 1f / n;
        var y = Scalar(n == 0 ? float.NaN : Reduce.Sum(xc.AsSpanUntracked()) * inv);
        var inShape = x.Shape.ToArray();
        return Autograd.RecordComposed(y, "mean_all", [x], g => [Expand(MulScalar(g, inv), inShape)], saved: []);
    }

    /// <summary>
    /// Maximum over dimension <paramref name="dim"/> (the values of torch.max(x, dim, keepdim)). Backward sends
    /// g to the first position of the maximum only (ties: the lowest index; a NaN counts as the maximum), the
    /// same routing as torch.max with dim. Throws for an empty reduced dimension.
    /// </summary>
    public static Tensor Max(Tensor x, int dim, bool keepDim = false)
    {
        var (outer, n, inner, d) = Layout(x, dim);
        if (n == 0) throw new ArgumentException($"Max over dimension {d} of shape {Shapes.Format(x.Shape)}: the dimension is empty.", nameof(x));
        var xs = (x.IsContiguous ? x : Copy(x.Detach())).AsSpanUntracked();
        var y = new Tensor(new float[outer * inner], ReducedShape(x.Shape, d, keepDim));
        var ys = y.AsSpanUntracked();
        var arg = new int[outer * inner];   // flat input index of each chosen maximum
        Span<float> column = n <= 1024 ? stackalloc float[n] : new float[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int baseIdx = o * n * inner + i;
                for (int j = 0; j < n; j++) column[j] = xs[baseIdx + j * inner];
                int j0 = Reduce.ArgMax(column);
                arg[o * inner + i] = baseIdx + j0 * inner;
                ys[o * inner + i] = column[j0];
            }
        return RecordArgRouting(y, x, arg, "max");
    }

    /// <summary>Maximum of all elements as a rank-0 tensor (torch.max(x)); backward to the first maximum only.</summary>
    public static Tensor Max(Tensor x)
    {
        if (x.Length == 0) throw new ArgumentException($"Max of an empty tensor (shape {Shapes.Format(x.Shape)}).", nameof(x));
        var xs = (x.IsContiguous ? x : Copy(x.Detach())).AsSpanUntracked();
        int j = Reduce.ArgMax(xs);
        return RecordArgRouting(Scalar(xs[j]), x, [j], "max_all");
    }

    // Backward of a selection: g[i] goes to input element arg[i] (row-major flat index).
    private static Tensor RecordArgRouting(Tensor y, Tensor x, int[] arg, string name)
    {
        var inShape = x.Shape.ToArray();
        return Autograd.Record(y, name, [x], g =>
        {
            var gs = g.Contiguous().AsSpanUntracked();
            var dx = new float[Shapes.Product(inShape)];
            for (int i = 0; i < arg.Length; i++) dx[arg[i]] += gs[i];
            return [new Tensor(dx, inShape)];
        }, saved: [], differentiable: g => [ArgScatter(g, inShape, arg)]);
    }

    private static void SumInto(Tensor xc, int outer, int n, int inner, Span<float> y)
    {
        var xs = xc.AsSpanUntracked();
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1) { y[o] = Reduce.Sum(xs.Slice(o * n, n)); continue; }
            // Sum of rows: each output lane accumulates in row order, vectorised across the lanes (bias gradient).
            var acc = y.Slice(o * inner, inner);
            for (int j = 0; j < n; j++) Reduce.AddInto(acc, xs.Slice((o * n + j) * inner, inner));
        }
    }

    // x viewed as [outer, n, inner] around dimension dim.
    private static (int Outer, int N, int Inner, int Dim) Layout(Tensor x, int dim)
    {
        if (x.Rank == 0) throw new ArgumentException($"cannot reduce a rank-0 tensor along dimension {dim}; use the all-elements overload.", nameof(dim));
        int d = Shapes.Axis(dim, x.Rank);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.Size(i);
        for (int i = d + 1; i < x.Rank; i++) inner *= x.Size(i);
        return (outer, x.Size(d), inner, d);
    }

    private static int[] ReducedShape(ReadOnlySpan<int> shape, int d, bool keepDim)
    {
        var list = shape.ToArray().ToList();
        if (keepDim) list[d] = 1; else list.RemoveAt(d);
        return [.. list];
    }
}
