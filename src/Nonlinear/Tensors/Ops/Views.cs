using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>Swaps two dimensions as a view (no copy), like torch.transpose.</summary>
    public static Tensor Transpose(Tensor a, int dim0, int dim1)
    {
        int d0 = Shapes.Axis(dim0, a.Rank), d1 = Shapes.Axis(dim1, a.Rank);
        var shape = a.Shape.ToArray();
        var strides = a.Strides.ToArray();
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        (strides[d0], strides[d1]) = (strides[d1], strides[d0]);
        var y = new Tensor(a.Storage, a.Offset, shape, strides, a.VersionCounter);
        return Autograd.RecordComposed(y, "transpose", [a], g => [Transpose(g, d0, d1)], saved: []);
    }

    /// <summary>
    /// The same elements in a new shape (one size may be −1 and is inferred). A view when the tensor is
    /// contiguous, otherwise a copy (torch.reshape).
    /// </summary>
    public static Tensor Reshape(Tensor a, params int[] shape)
    {
        var resolved = ResolveShape(shape, a.Length, a.Shape);
        var src = a.IsContiguous ? a : Copy(a.Detach());
        var y = new Tensor(src.Storage, src.Offset, resolved, Shapes.ContiguousStrides(resolved), src.VersionCounter);
        var inShape = a.Shape.ToArray();
        return Autograd.RecordComposed(y, "reshape", [a], g => [Reshape(g, inShape)], saved: []);
    }

    private static int[] ResolveShape(int[] shape, int length, ReadOnlySpan<int> from)
    {
        var r = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < r.Length; i++)
        {
            if (r[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"shape {Shapes.Format(shape)} has more than one -1.", nameof(shape));
                infer = i;
            }
            else if (r[i] < 0) throw new ArgumentException($"shape {Shapes.Format(shape)} has a negative size.", nameof(shape));
            else known *= r[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || length % known != 0)
                throw new ArgumentException($"cannot reshape {Shapes.Format(from)} ({length} elements) to {Shapes.Format(shape)}.", nameof(shape));
            r[infer] = (int)(length / known);
        }
        else if (known != length)
            throw new ArgumentException($"cannot reshape {Shapes.Format(from)} ({length} elements) to {Shapes.Format(shape)} ({known} elements).", nameof(shape));
        return r;
    }
}
