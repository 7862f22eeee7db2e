using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>The fused gate·value product of gated MLPs.</summary>
public static class GateOp
{
    /// <summary>
    /// y = g(a) ⊙ b for u = [a | b] [N, 2h] (gate in the first h columns of each row, value in the last h): GLU-family
    /// hidden units in one op. <paramref name="gate"/> null is the bilinear product a ⊙ b. Backward in one pass per row
    /// over both halves: da = g′(a)·(dy ⊙ b) (through the activation's own backward), db = dy ⊙ g(a); it keeps g(a).
    /// Equivalent to torch: <c>a, b = u.chunk(2, -1); y = g(a) * b</c>.
    /// </summary>
    public static Tensor GatedProduct(Tensor u, Activations.Activation? gate)
    {
        ArgumentNullException.ThrowIfNull(u);
        if (u.Rank == 0 || u.Size(-1) % 2 != 0)
            throw new ArgumentException($"gated product expects [..., 2h]; got {Shapes.Format(u.Shape)}.", nameof(u));
        var uc = u.Contiguous();
        int h = uc.Size(-1) / 2, rows = uc.Length / (2 * h);
        var us = uc.AsReadOnlySpan();
        var act = new float[rows * h];   // g(a), kept for backward
        var y = new float[rows * h];
        for (int r = 0; r < rows; r++)
        {
            var a = us.Slice(r * 2 * h, h);
            var b = us.Slice(r * 2 * h + h, h);
            var g = act.AsSpan(r * h, h);
            if (gate is null) a.CopyTo(g); else gate.Forward(a, g);
            var yr = y.AsSpan(r * h, h);
            for (int i = 0; i < h; i++) yr[i] = g[i] * b[i];
        }
        var shape = uc.Shape.ToArray();
        shape[^1] = h;
        var result = Tensor.FromArray(y, shape);
        return Autograd.Record(result, "gated_product", [uc], dy =>
        {
            var ds = dy.Contiguous().AsReadOnlySpan();
            var xs = uc.AsReadOnlySpan();
            var du = new float[uc.Length];
            var tmp = new float[h];
            for (int r = 0; r < rows; r++)
            {
                var a = xs.Slice(r * 2 * h, h);
                var b = xs.Slice(r * 2 * h + h, h);
                var g = act.AsSpan(r * h, h);
                var dyr = ds.Slice(r * h, h);
                var da = du.AsSpan(r * 2 * h, h);
                var db = du.AsSpan(r * 2 * h + h, h);
                for (int i = 0; i < h; i++) { tmp[i] = dyr[i] * b[i]; db[i] = dyr[i] * g[i]; }
                if (gate is null) tmp.CopyTo(da); else gate.Backward(a, g, tmp, da);
            }
            return [Tensor.FromArray(du, uc.Shape.ToArray())];
        });
    }
}
