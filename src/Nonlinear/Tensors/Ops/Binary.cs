using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

/// <summary>The primitive tensor ops. Each records its backward rule next to its forward code.</summary>
public static partial class Ops
{
    /// <summary>a + b with NumPy broadcasting (torch.add).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = Elementwise(new AddKernel(), a, b);
        return Autograd.RecordComposed(y, "add", [a, b], g => [Broadcasting.SumTo(g, a.Shape.ToArray()), Broadcasting.SumTo(g, b.Shape.ToArray())], saved: []);
    }

    /// <summary>a − b with broadcasting (torch.sub).</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = Elementwise(new SubKernel(), a, b);
        return Autograd.RecordComposed(y, "sub", [a, b], g => [Broadcasting.SumTo(g, a.Shape.ToArray()), Broadcasting.SumTo(Neg(g), b.Shape.ToArray())], saved: []);
    }

    /// <summary>a · b elementwise with broadcasting (torch.mul).</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = Elementwise(new MulKernel(), a, b);
        return Autograd.RecordComposed(y, "mul", [a, b], g => [
            a.RequiresGrad ? Broadcasting.SumTo(Mul(g, b), a.Shape.ToArray()) : null,
            b.RequiresGrad ? Broadcasting.SumTo(Mul(g, a), b.Shape.ToArray()) : null], saved: [a, b]);
    }

    /// <summary>a / b elementwise with broadcasting (torch.div).</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = Elementwise(new DivKernel(), a, b);
        return Autograd.RecordComposed(y, "div", [a, b], g => [
            a.RequiresGrad ? Broadcasting.SumTo(Div(g, b), a.Shape.ToArray()) : null,
            b.RequiresGrad ? Broadcasting.SumTo(Neg(Div(Mul(g, y), b)), b.Shape.ToArray()) : null], saved: [b, y]);
    }

    /// <summary>−a.</summary>
    public static Tensor Neg(Tensor a) => MulScalar(a, -1f);

    /// <summary>a · s for a constant s.</summary>
    public static Tensor MulScalar(Tensor a, float s)
    {
        var y = Elementwise(new MulKernel(), a, Scalar(s));
        return Autograd.RecordComposed(y, "mul_scalar", [a], g => [MulScalar(g, s)], saved: []);
    }

    /// <summary>a + s for a constant s.</summary>
    public static Tensor AddScalar(Tensor a, float s)
    {
        var y = Elementwise(new AddKernel(), a, Scalar(s));
        return Autograd.RecordComposed(y, "add_scalar", [a], g => [g], saved: []);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>Applies a binary kernel with broadcasting into a new contiguous tensor. No gradient is recorded.</summary>
    internal static Tensor Elementwise<K>(K kernel, Tensor a, Tensor b) where K : struct, IBinaryKernel
    {
        var outShape = Shapes.Broadcast(a.Shape, b.Shape);
        var y = TensorArena.Empty(outShape);
        a = a.IsContiguous ? a : Copy(a.Detach());
        b = b.IsContiguous ? b : Copy(b.Detach());
        if (Shapes.Equal(a.Shape, b.Shape))
        {
            BinaryDriver.ApplyParallel(kernel, a.Storage, a.Offset, b.Storage, b.Offset, y.Storage, y.Offset, y.Length);
            return y;
        }
        var sa = Broadcasting.AlignedStrides(a.Shape, outShape);
        var sb = Broadcasting.AlignedStrides(b.Shape, outShape);
        int inner = outShape.Length == 0 ? 1 : outShape[^1];
        int ia = outShape.Length == 0 ? 0 : Math.Min(sa[^1], 1), ib = outShape.Length == 0 ? 0 : Math.Min(sb[^1], 1);
        float[] As = a.Storage, Bs = b.Storage, Ys = y.Storage;
        int aOff = a.Offset, bOff = b.Offset;
        Broadcasting.ForEachRow(outShape, sa, sb, (start, oa, ob) =>
            BinaryDriver.Apply(kernel,
                As.AsSpan(aOff + oa, ia == 0 ? 1 : inner), ia,
                Bs.AsSpan(bOff + ob, ib == 0 ? 1 : inner), ib,
                Ys.AsSpan(start, inner)));
        return y;
    }

    /// <summary>A contiguous copy of <paramref name="a"/> (also materialises views); gradients pass through unchanged.</summary>
    public static Tensor Copy(Tensor a)
    {
        var y = TensorArena.Empty(a.Shape.ToArray());
        Strided.Gather(a, y.Storage);
        return Autograd.RecordComposed(y, "copy", [a], g => [g], saved: []);
    }
}
