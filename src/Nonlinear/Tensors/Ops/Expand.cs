using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Broadcasts <paramref name="x"/> to <paramref name="shape"/> by NumPy rules into a new contiguous tensor
    /// (torch.Tensor.expand followed by contiguous()); backward sums over the expanded dimensions.
    /// </summary>
    /// <exception cref="ArgumentException">x's shape does not broadcast to <paramref name="shape"/>.</exception>
    public static Tensor Expand(Tensor x, params int[] shape)
    {
        Shapes.Validate(shape, nameof(shape));
        var target = (int[])shape.Clone();
        if (!Shapes.Equal(Shapes.Broadcast(x.Shape, target), target))
            throw new ArgumentException($"cannot expand shape {Shapes.Format(x.Shape)} to {Shapes.Format(target)}.", nameof(shape));
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var y = new Tensor(GC.AllocateUninitializedArray<float>(Shapes.Product(target)), target);
        var sx = Broadcasting.AlignedStrides(xc.Shape, target);
        int inner = target.Length == 0 ? 1 : target[^1];
        bool repeat = target.Length > 0 && sx[^1] == 0;
        float[] src = xc.Storage, dst = y.Storage;
        int off = xc.Offset;
        Broadcasting.ForEachRow(target, sx, new int[target.Length], (start, ox, _) =>
        {
            if (repeat) dst.AsSpan(start, inner).Fill(src[off + ox]);
            else src.AsSpan(off + ox, inner).CopyTo(dst.AsSpan(start, inner));
        });
        var inShape = x.Shape.ToArray();
        return Autograd.RecordComposed(y, "expand", [x], g => [Broadcasting.SumTo(g, inShape)], saved: []);
    }
}
