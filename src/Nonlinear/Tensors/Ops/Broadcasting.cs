using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

/// <summary>Row iteration for broadcast elementwise ops and the sums that undo broadcasting in backward.</summary>
internal static class Broadcasting
{
    /// <summary>Strides of <paramref name="shape"/> (contiguous) aligned to <paramref name="outShape"/>, 0 along broadcast dimensions.</summary>
    public static int[] AlignedStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape)
    {
        var strides = new int[outShape.Length];
        var own = Shapes.ContiguousStrides(shape);
        int lead = outShape.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
            strides[d + lead] = shape[d] == 1 ? 0 : own[d];
        return strides;
    }

    /// <summary>
    /// Calls <paramref name="row"/>(outRowStart, aOffset, bOffset) for every row of the last dimension of the output.
    /// </summary>
    public static void ForEachRow(ReadOnlySpan<int> outShape, int[] sa, int[] sb, Action<int, int, int> row)
    {
        int rank = outShape.Length;
        int inner = rank == 0 ? 1 : outShape[rank - 1];
        int rows = inner == 0 ? 0 : Shapes.Product(outShape) / inner;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        int oa = 0, ob = 0;
        for (int r = 0; r < rows; r++)
        {
            row(r * inner, oa, ob);
            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++; oa += sa[d]; ob += sb[d];
                if (idx[d] < outShape[d]) break;
                oa -= idx[d] * sa[d]; ob -= idx[d] * sb[d]; idx[d] = 0;
            }
        }
    }

    /// <summary>target += the sum of the rows of <paramref name="g"/> [rows, n] (the bias gradient), in row order.</summary>
    public static void SumRowsInto(Tensor g, Tensor target)
    {
        var gc = g.Contiguous();
        int n = target.Length;
        var src = gc.AsSpanUntracked();
        var dst = target.AsSpanUntracked();
        for (int start = 0; start < src.Length; start += n)
            Reduce.AddInto(dst, src.Slice(start, n));
    }

    /// <summary>Sums <paramref name="g"/> over the dimensions that broadcasting expanded, giving a tensor of <paramref name="shape"/>.</summary>
    public static Tensor SumTo(Tensor g, int[] shape)
    {
        if (Shapes.Equal(g.Shape, shape)) return g;
        var gc = g.Contiguous();
        var result = new float[Shapes.Product(shape)];
        var outShape = gc.Shape.ToArray();
        var st = AlignedStrides(shape, outShape);
        var zero = new int[outShape.Length];
        var src = gc.Storage;
        int baseOff = gc.Offset;
        int inner = outShape.Length == 0 ? 1 : outShape[^1];
        bool innerReduced = outShape.Length > 0 && st[^1] == 0;
        ForEachRow(outShape, st, zero, (start, dst, _) =>
        {
            var row = src.AsSpan(baseOff + start, inner);
            if (innerReduced) result[dst] += Reduce.Sum(row);
            else
            {
                var d = result.AsSpan(dst, inner);
                BinaryDriver.Apply(new AddKernel(), d, row, d);
            }
        });
        // Recorded only inside a createGraph backward (first-order passes run with recording off): its adjoint is Expand.
        var gShape = outShape;
        return Autograd.RecordComposed(new Tensor(result, shape), "sum_to", [g], g2 => [Ops.Expand(g2, gShape)], saved: []);
    }
}
