using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// yᵢ = aᵢ where conditionᵢ ≠ 0, else bᵢ, all three broadcast to one shape (torch.where with a float mask).
    /// Backward: g goes to a where the condition holds and to b elsewhere, summed over broadcast dimensions; the
    /// condition gets no gradient. A NaN condition counts as true (it is ≠ 0), as a NaN converted to bool in torch.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition.Shape, a.Shape), b.Shape);
        float[] c, av, bv;
        using (Autograd.NoGrad())
        {
            c = Expand(condition, shape).ToArray();
            av = Expand(a, shape).ToArray();
            bv = Expand(b, shape).ToArray();
        }
        var mask = new bool[c.Length];
        var y = new float[c.Length];
        for (int i = 0; i < y.Length; i++) { mask[i] = c[i] != 0f; y[i] = mask[i] ? av[i] : bv[i]; }
        var aShape = a.Shape.ToArray();
        var bShape = b.Shape.ToArray();
        return Autograd.Record(new Tensor(y, shape), "where", [a, b], g =>
        {
            var gs = g.Contiguous().AsSpanUntracked();
            var ga = new float[gs.Length];
            var gb = new float[gs.Length];
            for (int i = 0; i < gs.Length; i++) (mask[i] ? ga : gb)[i] = gs[i];
            return [
                a.RequiresGrad ? Broadcasting.SumTo(new Tensor(ga, (int[])shape.Clone()), aShape) : null,
                b.RequiresGrad ? Broadcasting.SumTo(new Tensor(gb, (int[])shape.Clone()), bShape) : null];
        }, saved: [], differentiable: g => [
            a.RequiresGrad ? Broadcasting.SumTo(Mul(g, MaskConstant(mask, shape, true)), aShape) : null,
            b.RequiresGrad ? Broadcasting.SumTo(Mul(g, MaskConstant(mask, shape, false)), bShape) : null]);
    }

    /// <summary>
    /// Index of the largest entry along <paramref name="dim"/> (torch.argmax(x, dim, keepdim)) as a float tensor of
    /// exact integers; the first one on ties, and a NaN counts as the largest (as torch). Not differentiable.
    /// </summary>
    /// <exception cref="ArgumentException">The dimension is empty.</exception>
    public static Tensor ArgMax(Tensor x, int dim, bool keepDim = false)
    {
        var (outer, n, inner, d) = Layout(x, dim);
        if (n == 0) throw new ArgumentException($"ArgMax over dimension {d} of shape {Shapes.Format(x.Shape)}: the dimension is empty.", nameof(x));
        var xs = (x.IsContiguous ? x : Copy(x.Detach())).AsSpanUntracked();
        var y = new float[outer * inner];
        Span<float> column = n <= 1024 ? stackalloc float[n] : new float[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                for (int j = 0; j < n; j++) column[j] = xs[(o * n + j) * inner + i];
                y[o * inner + i] = Kernels.Reduce.ArgMax(column);
            }
        return new Tensor(y, ReducedShape(x.Shape, d, keepDim));
    }
}
