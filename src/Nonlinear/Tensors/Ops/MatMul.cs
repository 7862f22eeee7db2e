using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Matrix product (torch.matmul for these cases): [m,k]·[k,n] → [m,n]; batched [b,m,k]·[b,k,n] → [b,m,n];
    /// and [b,m,k]·[k,n] → [b,m,n] with the matrix shared by every batch entry. A transposed view is read in
    /// place (the GEMM's transpose flag), never copied; backward uses transposed products the same way.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank == 3 && (b.Rank == 3 || b.Rank == 2)) return BatchedMatMul(a, b);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul needs 2-D·2-D, 3-D·3-D or 3-D·2-D tensors; got shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}.");
        if (a.Size(1) != b.Size(0))
            throw new ArgumentException($"MatMul shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} do not chain: {a.Size(1)} ≠ {b.Size(0)}.");
        int m = a.Size(0), k = a.Size(1), n = b.Size(1);
        var y = TensorArena.Empty([m, n]);
        GemmInto(a, b, y, beta: 0f);
        return Autograd.RecordComposed(y, "matmul", [a, b], g => [
            a.RequiresGrad ? MatMul(g, Transpose(b, 0, 1)) : null,
            b.RequiresGrad ? MatMul(Transpose(a, 0, 1), g) : null], saved: [a, b]);
    }

    /// <summary>
    /// x·Wᵀ + b for x [batch, in], W [out, in], b [out] or null: torch.nn.functional.linear, as one GEMM.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (x.Rank != 2 || weight.Rank != 2)
            throw new ArgumentException($"Linear needs x [batch, in] and weight [out, in]; got {Shapes.Format(x.Shape)} and {Shapes.Format(weight.Shape)}.");
        if (x.Size(1) != weight.Size(1))
            throw new ArgumentException($"Linear: x has {x.Size(1)} features but weight {Shapes.Format(weight.Shape)} expects {weight.Size(1)}.", nameof(x));
        int batch = x.Size(0), outF = weight.Size(0);
        if (bias is not null && (bias.Rank != 1 || bias.Size(0) != outF))
            throw new ArgumentException($"Linear: bias has shape {Shapes.Format(bias.Shape)}; expected [{outF}].", nameof(bias));
        var y = TensorArena.Empty([batch, outF]);
        float beta = 0f;
        if (bias is not null)
        {
            FillRows(bias.Contiguous(), y.Storage, batch, outF);
            beta = 1f;
        }
        GemmInto(x, Transpose(weight.Detach(), 0, 1), y, beta);
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Autograd.Record(y, "linear", inputs, g =>
        {
            var gx = x.RequiresGrad ? MatMul(g, weight.Detach()) : null;
            // Like PyTorch's AccumulateGrad, a leaf that already has a gradient buffer (kept by ZeroGrad) receives
            // gᵀ·x straight from the GEMM with beta = 1: no temporary, no extra pass.
            Tensor? gw = null;
            if (Autograd.AccumulationTarget(weight) is { } wGrad) GemmInto(Transpose(g, 0, 1), x.Detach(), wGrad, beta: 1f);
            else if (weight.RequiresGrad) gw = MatMul(Transpose(g, 0, 1), x.Detach());
            if (bias is null) return [gx, gw];
            Tensor? gb = null;
            if (Autograd.AccumulationTarget(bias) is { } bGrad) Broadcasting.SumRowsInto(g, bGrad);
            else if (bias.RequiresGrad) gb = Broadcasting.SumTo(g, [outF]);
            return [gx, gw, gb];
        }, saved: [x, weight], differentiable: g =>
        {
            // The same products as recorded ops (no accumulation into .Grad: under createGraph the gradient is a graph tensor).
            var gx = x.RequiresGrad ? MatMul(g, weight) : null;
            var gw = weight.RequiresGrad ? MatMul(Transpose(g, 0, 1), x) : null;
            var gb = bias is not null && bias.RequiresGrad ? Broadcasting.SumTo(g, [outF]) : null;
            return bias is null ? [gx, gw] : [gx, gw, gb];
        });
    }

    // y[r, :] = bias for every row. A fresh multi-MiB output is first touched here (page faults), so large fills are
    // split across threads in fixed row blocks (a copy: the split never changes a bit).
    private static void FillRows(Tensor bias, float[] y, int rows, int cols)
    {
        float[] bs = bias.Storage;
        int off = bias.Offset;
        void Fill(int r0, int r1)
        {
            var b = bs.AsSpan(off, cols);
            for (int r = r0; r < r1; r++) b.CopyTo(y.AsSpan(r * cols, cols));
        }
        if (Parallelism.MaxThreads == 1 || (long)rows * cols < 1 << 16 || rows < 2) { Fill(0, rows); return; }
        int chunks = Math.Min(rows, Parallelism.MaxThreads * 4);
        Parallelism.For(chunks, c => Fill((int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks)));
    }

    /// <summary>y = a·b + beta·y where a and b may be transposed views of row-major matrices.</summary>
    internal static void GemmInto(Tensor a, Tensor b, Tensor y, float beta)
    {
        var (da, oa, ta, lda) = MatrixOperand(a);
        var (db, ob, tb, ldb) = MatrixOperand(b);
        Gemm.Sgemm(ta, tb, a.Size(0), b.Size(1), a.Size(1), 1f,
            da.AsSpan(oa), lda, db.AsSpan(ob), ldb, beta, y.AsSpanUntracked(), Math.Max(y.Size(1), 1));
    }

    // A 2-D operand as storage, offset, transposed? and leading dimension: row-major as it is, or a
    // transposed view of a row-major matrix; anything else is copied once.
    private static (float[] Data, int Offset, bool Transposed, int Ld) MatrixOperand(Tensor t)
    {
        int r = t.Size(0), c = t.Size(1);
        var st = t.Strides;
        if (t.IsContiguous) return (t.Storage, t.Offset, false, Math.Max(c, 1));
        if (st[1] == 1 && st[0] >= c) return (t.Storage, t.Offset, false, Math.Max(st[0], 1));
        if (st[0] == 1 && st[1] >= r) return (t.Storage, t.Offset, true, Math.Max(st[1], 1));
        var copy = Copy(t.Detach());
        return (copy.Storage, 0, false, Math.Max(c, 1));
    }
}
