namespace Nonlinear.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// A view by C# ranges and indices, as torch's basic indexing: <c>t[1..3]</c> keeps rows 1 and 2, <c>t[^1]</c> is
    /// the last row, <c>t[.., 0]</c> the first column. Each <see cref="System.Index"/> removes its dimension, each
    /// <see cref="System.Range"/> keeps it; dimensions not named are kept whole. The result shares storage (writes
    /// reach this tensor) and gradients flow back through it. Plain integers only (<c>t[1, 2]</c>) still select one
    /// element as a float (<see cref="this[int[]]"/>); write <c>t[(Index)1]</c> or <c>t[1, ..]</c> for a row.
    /// </summary>
    /// <exception cref="ArgumentException">More components than dimensions, an index outside the dimension, or a range that does not fit.</exception>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            if (index.Length > Rank)
                throw new ArgumentException($"index has {index.Length} components; the tensor of shape {Shapes.Format(_shape)} has rank {Rank}.", nameof(index));
            var t = this;
            int dim = 0;   // dimension of t that component k addresses: picked dimensions are gone
            for (int k = 0; k < index.Length; k++)
            {
                int size = t.Size(dim);
                if (index[k].Index is { } i)
                {
                    int at = i.GetOffset(size);
                    if ((uint)at >= (uint)size)
                        throw new ArgumentException($"index[{k}] = {i} is outside dimension {k} of shape {Shapes.Format(_shape)} (size {size}).", nameof(index));
                    t = Ops.Select(t, dim, at);
                }
                else
                {
                    var r = index[k].Range!.Value;
                    int start = r.Start.GetOffset(size), end = r.End.GetOffset(size);
                    if (start < 0 || end > size || start > end)
                        throw new ArgumentException($"index[{k}] = {r} does not fit dimension {k} of shape {Shapes.Format(_shape)} (size {size}).", nameof(index));
                    t = Ops.Slice(t, dim, start, end - start);
                    dim++;
                }
            }
            return t;
        }
    }
}
