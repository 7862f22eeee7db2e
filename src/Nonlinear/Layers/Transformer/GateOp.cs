using System.Numerics;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>The fused gate·value product of gated MLPs.</summary>
public static class GateOp
{
    // Below this many hidden values a call runs on the calling thread (a hand-off costs more than the work).
    private const int ParallelThreshold = 1 << 15;

    /// <summary>
    /// y = g(a) ⊙ b for u = [a | b] [N, 2h] (gate in the first h columns of each row, value in the last h): GLU-family
    /// hidden units in one op. <paramref name="gate"/> null is the bilinear product a ⊙ b. Backward in one pass per row
    /// over both halves: da = g′(a)·(dy ⊙ b) (through the activation's own backward), db = dy ⊙ g(a); it keeps g(a).
    /// Rows are split across threads in fixed blocks (each row is independent, so the result never depends on the
    /// thread count). Equivalent to torch: <c>a, b = u.chunk(2, -1); y = g(a) * b</c>.
    /// </summary>
    public static Tensor GatedProduct(Tensor u, Activations.Activation? gate)
    {
        ArgumentNullException.ThrowIfNull(u);
        if (u.Rank == 0 || u.Size(-1) % 2 != 0)
            throw new ArgumentException($"gated product expects [..., 2h]; got {Shapes.Format(u.Shape)}.", nameof(u));
        var uc = u.Contiguous();
        int h = uc.Size(-1) / 2, rows = uc.Length / (2 * h);
        float[] us = uc.Storage;
        int uOff = uc.Offset;
        var shape = uc.Shape.ToArray();
        shape[^1] = h;
        var actT = TensorArena.Empty(shape);   // g(a), kept for backward
        var result = TensorArena.Empty(shape);
        float[] act = actT.Storage, y = result.Storage;
        ForRows(rows, h, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var a = us.AsSpan(uOff + r * 2 * h, h);
                var b = us.AsSpan(uOff + r * 2 * h + h, h);
                var g = act.AsSpan(r * h, h);
                if (gate is null) a.CopyTo(g); else gate.Forward(a, g);
                Multiply(g, b, y.AsSpan(r * h, h));
            }
        });
        return Autograd.Record(result, "gated_product", [uc], dy =>
        {
            // Through the tensors, not the captured arrays: throws if a closed TensorArena scope took them back.
            _ = uc.Storage;
            _ = actT.Storage;
            var dyc = dy.Contiguous();
            float[] ds = dyc.Storage;
            int dOff = dyc.Offset;
            var duT = TensorArena.Empty(uc.Shape.ToArray());
            var du = duT.Storage;
            ForRows(rows, h, (r0, r1) =>
            {
                var tmp = gate is null ? default : new float[h];
                for (int r = r0; r < r1; r++)
                {
                    var a = us.AsSpan(uOff + r * 2 * h, h);
                    var b = us.AsSpan(uOff + r * 2 * h + h, h);
                    var g = act.AsSpan(r * h, h);
                    var dyr = ds.AsSpan(dOff + r * h, h);
                    var da = du.AsSpan(r * 2 * h, h);
                    var db = du.AsSpan(r * 2 * h + h, h);
                    Multiply(dyr, g, db);
                    if (gate is null) Multiply(dyr, b, da);
                    else
                    {
                        Multiply(dyr, b, tmp);
                        gate.Backward(a, g, tmp, da);
                    }
                }
            });
            return [duT];
        });
    }

    // z = x ⊙ y (one rounding per element, the same on every path, so the vector width never changes a bit).
    private static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(x[i..]) * new Vector<float>(y[i..])).CopyTo(z[i..]);
        for (; i < x.Length; i++) z[i] = x[i] * y[i];
    }

    // Row blocks fixed by the row count and the thread budget.
    private static void ForRows(int rows, int h, Action<int, int> body)
    {
        if (Parallelism.MaxThreads == 1 || (long)rows * h < ParallelThreshold || rows < 2) { body(0, rows); return; }
        int chunks = Math.Min(rows, Parallelism.MaxThreads * 4);
        Parallelism.For(chunks, c => body((int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks)));
    }
}
