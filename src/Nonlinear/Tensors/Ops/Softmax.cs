using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// softmax along the last axis: yᵢ = e^(xᵢ−m)/Σⱼe^(xⱼ−m), m the row max (torch.softmax(x, -1)).
    /// Backward: dx = y ⊙ (g − Σ g⊙y) per row.
    /// </summary>
    public static Tensor Softmax(Tensor x)
    {
        var (rows, n, xs, xo, y) = RowSetup(x);
        var ys = y.Storage;
        for (int r = 0; r < rows; r++) SoftmaxRows.Softmax(xs.AsSpan(xo + r * n, n), ys.AsSpan(r * n, n));
        var shape = x.Shape.ToArray();
        return Autograd.Record(y, "softmax", [x], g =>
        {
            var gs = g.Contiguous().AsSpanUntracked();
            var dxT = TensorArena.Empty(shape);
            var dx = dxT.Storage;
            for (int r = 0; r < rows; r++)
            {
                int o = r * n;
                float dot = 0f;
                for (int j = 0; j < n; j++) dot += gs[o + j] * ys[o + j];
                for (int j = 0; j < n; j++) dx[o + j] = ys[o + j] * (gs[o + j] - dot);
            }
            return [dxT];
        }, saved: [y], differentiable: g => [Mul(y, Sub(g, Sum(Mul(g, y), -1, keepDim: true)))]);
    }

    /// <summary>
    /// log-softmax along the last axis: yᵢ = xᵢ − m − ln Σⱼe^(xⱼ−m) (torch.log_softmax(x, -1)).
    /// Backward: dx = g − softmax(x)·Σg per row, softmax recomputed as e^y.
    /// </summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        var (rows, n, xs, xo, y) = RowSetup(x);
        var ys = y.Storage;
        for (int r = 0; r < rows; r++) SoftmaxRows.LogSoftmax(xs.AsSpan(xo + r * n, n), ys.AsSpan(r * n, n));
        var shape = x.Shape.ToArray();
        return Autograd.Record(y, "log_softmax", [x], g =>
        {
            var gs = g.Contiguous().AsSpanUntracked();
            var dxT = TensorArena.Empty(shape);
            var dx = dxT.Storage;
            for (int r = 0; r < rows; r++)
            {
                var gRow = gs.Slice(r * n, n);
                var dRow = dx.AsSpan(r * n, n);
                float total = Reduce.Sum(gRow);
                UnaryDriver.Forward(new ExpKernel(), ys.AsSpan(r * n, n), dRow);
                for (int j = 0; j < n; j++) dRow[j] = gRow[j] - dRow[j] * total;
            }
            return [dxT];
        }, saved: [y], differentiable: g => [Sub(g, Mul(Exp(y), Sum(g, -1, keepDim: true)))]);
    }

    // Rows of the last axis: count, length, contiguous input storage and offset (a copy only for views), output.
    private static (int Rows, int N, float[] Xs, int Offset, Tensor Y) RowSetup(Tensor x)
    {
        if (x.Rank == 0) throw new ArgumentException("softmax needs at least one dimension; got a rank-0 tensor.", nameof(x));
        int n = x.Size(-1);
        int rows = n == 0 ? 0 : x.Length / n;
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        return (rows, n, xc.Storage, xc.Offset, TensorArena.Empty(x.Shape.ToArray()));
    }
}
