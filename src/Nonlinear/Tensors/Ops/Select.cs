using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Entry <paramref name="index"/> of dimension <paramref name="dim"/>, that dimension removed, as a view sharing
    /// storage (torch.select; <c>t[i]</c> in torch). Backward places g into a zero tensor of the input's shape.
    /// </summary>
    /// <exception cref="ArgumentException">The index lies outside [0, size) of the dimension (named with the shape).</exception>
    public static Tensor Select(Tensor x, int dim, int index)
    {
        int d = Shapes.Axis(dim, x.Rank);
        int size = x.Size(d);
        if ((uint)index >= (uint)size)
            throw new ArgumentException($"Select: index {index} is outside [0, {size}) for dimension {d} of shape {Shapes.Format(x.Shape)}.", nameof(index));
        var shape = x.Shape.ToArray().ToList();
        var strides = x.Strides.ToArray().ToList();
        int offset = x.Offset + index * strides[d];
        shape.RemoveAt(d);
        strides.RemoveAt(d);
        var y = new Tensor(x.Storage, offset, [.. shape], [.. strides], x.VersionCounter);
        var inShape = x.Shape.ToArray();
        return Autograd.Record(y, "select", [x], g =>
        {
            var dx = Tensor.Zeros(inShape);
            Strided.Scatter(g.Contiguous().AsSpanUntracked(), Select(dx, d, index));
            return [dx];
        }, saved: [], differentiable: g => [SelectAdjoint(g, inShape, d, index)]);
    }

    /// <summary>
    /// The dimensions reordered (torch.permute): output dimension i is input dimension <paramref name="dims"/>[i]
    /// (negative counts from the end). A view; backward permutes g back.
    /// </summary>
    /// <exception cref="ArgumentException">dims is not a permutation of 0 … rank−1.</exception>
    public static Tensor Permute(Tensor x, params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != x.Rank)
            throw new ArgumentException($"Permute: dims {Shapes.Format(dims)} has {dims.Length} entries; the tensor of shape {Shapes.Format(x.Shape)} has rank {x.Rank}.", nameof(dims));
        var axes = new int[dims.Length];
        var inverse = new int[dims.Length];
        var seen = new bool[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            int a = Shapes.Axis(dims[i], x.Rank);
            if (seen[a]) throw new ArgumentException($"Permute: dims {Shapes.Format(dims)} repeats dimension {a}.", nameof(dims));
            seen[a] = true;
            axes[i] = a;
            inverse[a] = i;
        }
        var shape = new int[axes.Length];
        var strides = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) { shape[i] = x.Size(axes[i]); strides[i] = x.Strides[axes[i]]; }
        var y = new Tensor(x.Storage, x.Offset, shape, strides, x.VersionCounter);
        return Autograd.RecordComposed(y, "permute", [x], g => [Permute(g, inverse)], saved: []);
    }
}
