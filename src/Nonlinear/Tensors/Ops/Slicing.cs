using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Elements start … start+length−1 along <paramref name="dim"/> as a view sharing storage (torch.narrow);
    /// writes through the view reach the original. Backward places g into a zero tensor of the input's shape.
    /// </summary>
    /// <exception cref="ArgumentException">The range does not fit in the dimension.</exception>
    public static Tensor Slice(Tensor x, int dim, int start, int length)
    {
        int d = Shapes.Axis(dim, x.Rank);
        int size = x.Size(d);
        if (start < 0 || length < 0 || (long)start + length > size)
            throw new ArgumentException($"Slice [{start}, {start}+{length}) does not fit dimension {d} of shape {Shapes.Format(x.Shape)} (size {size}).", nameof(start));
        var shape = x.Shape.ToArray();
        shape[d] = length;
        var y = new Tensor(x.Storage, x.Offset + (length == 0 ? 0 : start * x.Strides[d]), shape, x.Strides.ToArray(), x.VersionCounter);
        var inShape = x.Shape.ToArray();
        return Autograd.Record(y, "slice", [x], g =>
        {
            var dx = Tensor.Zeros(inShape);
            var window = Slice(dx, d, start, length);
            Strided.Scatter(g.Contiguous().AsSpanUntracked(), window);
            return [dx];
        }, saved: [], differentiable: g => [SliceAdjoint(g, inShape, d, start, length)]);
    }

    /// <summary>Joins tensors along <paramref name="dim"/> (torch.cat); all other sizes must match. Backward slices g.</summary>
    /// <exception cref="ArgumentException">No tensors, different ranks, or a size mismatch (names both shapes).</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor; got none.", nameof(tensors));
        var first = tensors[0];
        int d = Shapes.Axis(dim, first.Rank);
        var shape = first.Shape.ToArray();
        int total = 0;
        foreach (var t in tensors)
        {
            bool ok = t.Rank == first.Rank;
            for (int i = 0; ok && i < t.Rank; i++) ok = i == d || t.Size(i) == first.Size(i);
            if (!ok) throw new ArgumentException($"Concat along dimension {d}: shape {Shapes.Format(t.Shape)} does not match {Shapes.Format(first.Shape)} outside that dimension.", nameof(tensors));
            total += t.Size(d);
        }
        shape[d] = total;
        var y = Tensor.Zeros(shape);
        int at = 0;
        var sizes = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            sizes[i] = tensors[i].Size(d);
            using (Autograd.NoGrad()) Strided.Scatter(tensors[i].ToArray(), Slice(y, d, at, sizes[i]));
            at += sizes[i];
        }
        var inputs = tensors.ToArray();
        return Autograd.RecordComposed(y, "concat", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            int s = 0;
            for (int i = 0; i < inputs.Length; i++) { grads[i] = inputs[i].RequiresGrad ? Slice(g, d, s, sizes[i]) : null; s += sizes[i]; }
            return grads;
        }, saved: []);
    }

    /// <summary>
    /// Joins equally shaped tensors along a new dimension <paramref name="dim"/> (torch.stack; dim in [−rank−1, rank]):
    /// Concat of the tensors each unsqueezed at dim, so the gradient flows through both.
    /// </summary>
    /// <exception cref="ArgumentException">No tensors, or shapes differ (both named).</exception>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Stack needs at least one tensor; got none.", nameof(tensors));
        for (int i = 1; i < tensors.Count; i++)
            if (!Shapes.Equal(tensors[i].Shape, tensors[0].Shape))
                throw new ArgumentException($"Stack: tensors[{i}] has shape {Shapes.Format(tensors[i].Shape)}; tensors[0] has {Shapes.Format(tensors[0].Shape)}.", nameof(tensors));
        int d = Shapes.Axis(dim, tensors[0].Rank + 1);
        return Concat(tensors.Select(t => Unsqueeze(t, d)).ToArray(), d);
    }

    /// <summary>Inserts a size-1 dimension at <paramref name="dim"/> (torch.unsqueeze; dim in [−rank−1, rank]); a view when contiguous.</summary>
    public static Tensor Unsqueeze(Tensor x, int dim)
    {
        int d = Shapes.Axis(dim, x.Rank + 1);
        var shape = x.Shape.ToArray().ToList();
        shape.Insert(d, 1);
        return Reshape(x, [.. shape]);
    }

    /// <summary>Removes dimension <paramref name="dim"/>, which must have size 1 (torch.squeeze(x, dim) but strict).</summary>
    /// <exception cref="ArgumentException">The dimension's size is not 1.</exception>
    public static Tensor Squeeze(Tensor x, int dim)
    {
        int d = Shapes.Axis(dim, x.Rank);
        if (x.Size(d) != 1)
            throw new ArgumentException($"Squeeze: dimension {d} of shape {Shapes.Format(x.Shape)} has size {x.Size(d)}; expected 1.", nameof(dim));
        var shape = x.Shape.ToArray().ToList();
        shape.RemoveAt(d);
        return Reshape(x, [.. shape]);
    }

    /// <summary>Merges dimensions startDim … last into one (torch.flatten(x, startDim)); a view when contiguous.</summary>
    public static Tensor Flatten(Tensor x, int startDim = 1)
    {
        if (x.Rank == 0) return Reshape(x, 1);
        int d = Shapes.Axis(startDim, x.Rank);
        var shape = new int[d + 1];
        for (int i = 0; i < d; i++) shape[i] = x.Size(i);
        int rest = 1;
        for (int i = d; i < x.Rank; i++) rest *= x.Size(i);
        shape[d] = rest;
        return Reshape(x, shape);
    }
}
