using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    // [b,m,k]·[b,k,n] or [b,m,k]·[k,n]: one GEMM per batch entry, each operand read through its strides
    // (a transposed view of the last two dimensions becomes the GEMM's transpose flag).
    private static Tensor BatchedMatMul(Tensor a, Tensor b)
    {
        bool shared = b.Rank == 2;
        int batch = a.Size(0), m = a.Size(1), k = a.Size(2);
        int kb = b.Size(-2), n = b.Size(-1);
        if (!shared && b.Size(0) != batch)
            throw new ArgumentException($"MatMul batch sizes differ: shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}.");
        if (k != kb)
            throw new ArgumentException($"MatMul shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} do not chain: {k} ≠ {kb}.");
        var y = TensorArena.Empty([batch, m, n]);
        var opA = BatchOperand(a);
        var opB = shared ? SharedOperand(b) : BatchOperand(b);
        int bStep = opB.BatchStride;
        for (int i = 0; i < batch; i++)
        {
            if (m * n == 0) break;
            Gemm.Sgemm(opA.Transposed, opB.Transposed, m, n, k, 1f,
                opA.Data.AsSpan(opA.Offset + i * opA.BatchStride), opA.Ld,
                opB.Data.AsSpan(opB.Offset + i * bStep), opB.Ld,
                0f, y.Storage.AsSpan(i * m * n, m * n), Math.Max(n, 1));
        }
        return Autograd.RecordComposed(y, "bmm", [a, b], g =>
        {
            var ga = a.RequiresGrad ? MatMul(g, Transpose(b, -2, -1)) : null;
            Tensor? gb = null;
            if (b.RequiresGrad)
                // Shared matrix: Σ_i A_iᵀ·G_i is one GEMM over the stacked rows [b·m, k]ᵀ·[b·m, n].
                gb = shared ? MatMul(Transpose(Reshape(a, batch * m, k), 0, 1), Reshape(g, batch * m, n))
                            : MatMul(Transpose(a, -2, -1), g);
            return [ga, gb];
        });
    }

    private static (float[] Data, int Offset, bool Transposed, int Ld, int BatchStride) SharedOperand(Tensor t)
    {
        var (data, offset, transposed, ld) = MatrixOperand(t);
        return (data, offset, transposed, ld, 0);
    }

    // A 3-D operand's last two dimensions as a row-major or transposed matrix, plus the batch stride; any
    // other layout is copied once (the forward input, never a transpose made for backward).
    private static (float[] Data, int Offset, bool Transposed, int Ld, int BatchStride) BatchOperand(Tensor t)
    {
        int r = t.Size(1), c = t.Size(2);
        var st = t.Strides;
        if (t.IsContiguous) return (t.Storage, t.Offset, false, Math.Max(c, 1), r * c);
        int bs = t.Size(0) <= 1 ? 0 : st[0];
        if (bs >= 0 && (c <= 1 || st[2] == 1) && (r <= 1 || st[1] >= c)) return (t.Storage, t.Offset, false, Math.Max(r <= 1 ? c : st[1], 1), bs);
        if (bs >= 0 && (r <= 1 || st[1] == 1) && (c <= 1 || st[2] >= r)) return (t.Storage, t.Offset, true, Math.Max(c <= 1 ? r : st[2], 1), bs);
        var copy = Copy(t.Detach());
        return (copy.Storage, 0, false, Math.Max(c, 1), r * c);
    }
}
