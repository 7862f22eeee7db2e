using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

/// <summary>
/// The recorded adjoints that createGraph backward rules are written with: a slice's gradient is g placed into zeros
/// (whose own gradient is the slice again), a selection's is a scatter (whose gradient is the gather), and so on.
/// Each is linear in g, so its rule is its partner op and every order of derivative follows.
/// </summary>
public static partial class Ops
{
    /// <summary>1/x elementwise (torch.reciprocal); backward −g/x².</summary>
    public static Tensor Reciprocal(Tensor x) => Div(Scalar(1f), x);

    // sign(x) as a constant (sign(0) = 0, as torch): the derivative of |x|, itself with derivative 0 almost everywhere.
    private static Tensor SignConstant(Tensor x)
    {
        var xs = x.Contiguous().AsSpanUntracked();
        var s = new float[xs.Length];
        for (int i = 0; i < s.Length; i++) s[i] = xs[i] > 0 ? 1f : xs[i] < 0 ? -1f : 0f;
        return new Tensor(s, x.Shape.ToArray());
    }

    // 1 where min ≤ x ≤ max (clamp's pass-through region, boundaries included as torch), 0 elsewhere: a constant.
    private static Tensor InsideConstant(Tensor x, float min, float max)
    {
        var xs = x.Contiguous().AsSpanUntracked();
        var s = new float[xs.Length];
        for (int i = 0; i < s.Length; i++) s[i] = xs[i] >= min && xs[i] <= max ? 1f : 0f;
        return new Tensor(s, x.Shape.ToArray());
    }

    // g placed into zeros of inShape at [start, start+length) along d; the adjoint of Slice.
    private static Tensor SliceAdjoint(Tensor g, int[] inShape, int d, int start, int length)
    {
        var dx = Tensor.Zeros(inShape);
        Strided.Scatter(g.Contiguous().AsSpanUntracked(), Slice(dx, d, start, length));
        return Autograd.RecordComposed(dx, "slice_backward", [g], g2 => [Slice(g2, d, start, length)], saved: []);
    }

    // g placed into zeros of inShape at index along d; the adjoint of Select.
    private static Tensor SelectAdjoint(Tensor g, int[] inShape, int d, int index)
    {
        var dx = Tensor.Zeros(inShape);
        Strided.Scatter(g.Contiguous().AsSpanUntracked(), Select(dx, d, index));
        return Autograd.RecordComposed(dx, "select_backward", [g], g2 => [Select(g2, d, index)], saved: []);
    }

    // dx[arg[i]] += g[i] into zeros of inShape; the adjoint of a gather at arg (max, min, gather, max-pool routing).
    private static Tensor ArgScatter(Tensor g, int[] inShape, int[] arg)
    {
        var gs = g.Contiguous().AsSpanUntracked();
        var dx = new float[Shapes.Product(inShape)];
        for (int i = 0; i < arg.Length; i++) if (arg[i] >= 0) dx[arg[i]] += gs[i];
        var gShape = g.Shape.ToArray();
        return Autograd.RecordComposed(new Tensor(dx, inShape), "arg_scatter", [g], g2 => [ArgGather(g2, arg, gShape)], saved: []);
    }

    // y[i] = x[arg[i]] (0 where arg[i] < 0) with shape yShape; the adjoint of ArgScatter.
    private static Tensor ArgGather(Tensor x, int[] arg, int[] yShape)
    {
        var xs = x.Contiguous().AsSpanUntracked();
        var y = new float[arg.Length];
        for (int i = 0; i < arg.Length; i++) y[i] = arg[i] >= 0 ? xs[arg[i]] : 0f;
        var inShape = x.Shape.ToArray();
        return Autograd.RecordComposed(new Tensor(y, yShape), "arg_gather", [x], g => [ArgScatter(g, inShape, arg)], saved: []);
    }

    // 1 where the mask holds, 0 elsewhere, as a constant of the given shape.
    private static Tensor MaskConstant(bool[] mask, int[] shape, bool value)
    {
        var m = new float[mask.Length];
        for (int i = 0; i < m.Length; i++) m[i] = mask[i] == value ? 1f : 0f;
        return new Tensor(m, (int[])shape.Clone());
    }
}
