namespace Nonlinear.Tensors;

/// <summary>Copies between strided views and contiguous buffers.</summary>
internal static class Strided
{
    /// <summary>Writes the elements of <paramref name="t"/> in row-major order into <paramref name="dest"/>.</summary>
    public static void Gather(Tensor t, Span<float> dest)
    {
        if (t.IsContiguous) { t.Storage.AsSpan(t.Offset, t.Length).CopyTo(dest); return; }
        Walk(t.Shape, t.Strides, t.Offset, t.Storage, dest, toDest: true);
    }

    /// <summary>Writes <paramref name="src"/> (row-major) into the elements of the view <paramref name="t"/>.</summary>
    public static void Scatter(ReadOnlySpan<float> src, Tensor t)
    {
        if (t.IsContiguous) { src.CopyTo(t.Storage.AsSpan(t.Offset, t.Length)); return; }
        var tmp = src.ToArray();
        Walk(t.Shape, t.Strides, t.Offset, t.Storage, tmp, toDest: false);
    }

    private static void Walk(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int offset, float[] storage, Span<float> flat, bool toDest)
    {
        int rank = shape.Length, n = flat.Length;
        if (n == 0) return;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        int inner = rank == 0 ? 1 : shape[rank - 1], innerStride = rank == 0 ? 0 : strides[rank - 1];
        int pos = offset;
        for (int i = 0; i < n; i += inner)
        {
            if (toDest) for (int j = 0; j < inner; j++) flat[i + j] = storage[pos + j * innerStride];
            else for (int j = 0; j < inner; j++) storage[pos + j * innerStride] = flat[i + j];
            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++; pos += strides[d];
                if (idx[d] < shape[d]) break;
                pos -= idx[d] * strides[d]; idx[d] = 0;
            }
        }
    }
}
