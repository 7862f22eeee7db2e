namespace Nonlinear.Tensors;

/// <summary>Shape arithmetic shared by tensors and ops.</summary>
public static class Shapes
{
    /// <summary>Product of the sizes (1 for a scalar shape).</summary>
    public static int Product(ReadOnlySpan<int> shape)
    {
        long p = 1;
        foreach (int s in shape) p *= s;
        if (p > Array.MaxLength) throw new ArgumentException($"shape {Format(shape)} has {p} elements; at most {Array.MaxLength} fit in one tensor.");
        return (int)p;
    }

    /// <summary>Row-major strides for a shape.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
        return strides;
    }

    /// <summary>True when strides describe row-major order without gaps (size-1 dimensions may have any stride).</summary>
    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>Throws unless every size is non-negative.</summary>
    public static void Validate(ReadOnlySpan<int> shape, string argument)
    {
        for (int d = 0; d < shape.Length; d++)
            if (shape[d] < 0) throw new ArgumentException($"{argument}[{d}] = {shape[d]}; sizes must be ≥ 0.", argument);
        Product(shape);
    }

    /// <summary>Normalises a possibly negative axis; throws when out of range.</summary>
    public static int Axis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if ((uint)a >= (uint)Math.Max(rank, 1) || (rank == 0 && axis != 0 && axis != -1))
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis must be in [{-rank}, {rank - 1}] for a rank-{rank} tensor.");
        return a;
    }

    /// <summary>NumPy broadcasting of two shapes.</summary>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names both.</exception>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {Format(a)} and {Format(b)} cannot be broadcast: dimension {i} is {da} vs {db}.");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>True when two shapes are equal.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>"[2, 3]"-style text.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
