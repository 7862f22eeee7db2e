using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// The entries <paramref name="indices"/> of dimension <paramref name="dim"/> (torch.index_select); repeats
    /// allowed. Backward adds g's slices back at their indices (repeated indices accumulate).
    /// </summary>
    /// <exception cref="ArgumentException">An index lies outside [0, size); the message names it.</exception>
    public static Tensor IndexSelect(Tensor x, int dim, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int d = Shapes.Axis(dim, x.Rank);
        int size = x.Size(d);
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)size)
                throw new ArgumentException($"indices[{i}] = {indices[i]} is outside [0, {size}) for dimension {d} of shape {Shapes.Format(x.Shape)}.", nameof(indices));
        var (outer, _, inner, _) = Layout(x, d);
        var xs = (x.IsContiguous ? x : Copy(x.Detach())).AsSpanUntracked();
        var shape = x.Shape.ToArray();
        shape[d] = indices.Length;
        var y = Tensor.Zeros(shape);
        var ys = y.AsSpanUntracked();
        int m = indices.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                xs.Slice((o * size + indices[j]) * inner, inner).CopyTo(ys.Slice((o * m + j) * inner, inner));
        var inShape = x.Shape.ToArray();
        var idx = (int[])indices.Clone();
        return Autograd.Record(y, "index_select", [x], g =>
        {
            var gs = g.Contiguous().AsSpanUntracked();
            var dx = Tensor.Zeros(inShape);
            var ds = dx.AsSpanUntracked();
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < m; j++)
                {
                    var dst = ds.Slice((o * size + idx[j]) * inner, inner);
                    var src = gs.Slice((o * m + j) * inner, inner);
                    for (int k = 0; k < inner; k++) dst[k] += src[k];
                }
            return [dx];
        }, saved: []);
    }

    /// <summary>
    /// torch.gather(x, dim, index): y[i₀…iₙ] = x[i₀…index[i₀…iₙ]…iₙ] with the index in position dim. The index
    /// (row-major, shape <paramref name="indexShape"/>) has x's rank and sizes ≤ x's outside dim. Backward
    /// scatter-adds g (repeated indices accumulate).
    /// </summary>
    /// <exception cref="ArgumentException">Shape mismatch, or an index outside [0, size) (named).</exception>
    public static Tensor Gather(Tensor x, int dim, int[] index, int[] indexShape)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(indexShape);
        int d = Shapes.Axis(dim, x.Rank);
        Shapes.Validate(indexShape, nameof(indexShape));
        if (indexShape.Length != x.Rank || Shapes.Product(indexShape) != index.Length)
            throw new ArgumentException($"Gather: index shape {Shapes.Format(indexShape)} with {index.Length} entries must have x's rank {x.Rank} (x shape {Shapes.Format(x.Shape)}) and match the entry count.", nameof(indexShape));
        for (int i = 0; i < x.Rank; i++)
            if (i != d && indexShape[i] > x.Size(i))
                throw new ArgumentException($"Gather: index shape {Shapes.Format(indexShape)} exceeds x shape {Shapes.Format(x.Shape)} in dimension {i}.", nameof(indexShape));
        int size = x.Size(d);
        for (int i = 0; i < index.Length; i++)
            if ((uint)index[i] >= (uint)size)
                throw new ArgumentException($"index[{i}] = {index[i]} is outside [0, {size}) for dimension {d} of shape {Shapes.Format(x.Shape)}.", nameof(index));
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var strides = Shapes.ContiguousStrides(x.Shape);
        // Flat source position of each output element.
        var src = new int[index.Length];
        var coord = new int[x.Rank];
        for (int i = 0; i < index.Length; i++)
        {
            int pos = 0;
            for (int k = 0; k < x.Rank; k++) pos += (k == d ? index[i] : coord[k]) * strides[k];
            src[i] = pos;
            for (int k = x.Rank - 1; k >= 0; k--) { if (++coord[k] < indexShape[k]) break; coord[k] = 0; }
        }
        var xs = xc.AsSpanUntracked();
        var data = new float[index.Length];
        for (int i = 0; i < data.Length; i++) data[i] = xs[src[i]];
        return RecordArgRouting(new Tensor(data, (int[])indexShape.Clone()), x, src, "gather");
    }
}
