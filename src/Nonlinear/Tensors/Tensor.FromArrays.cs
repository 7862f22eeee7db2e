namespace Nonlinear.Tensors;

// torch.tensor(...) from C# arrays: the values are copied, the shape comes from the array.
public sealed partial class Tensor
{
    /// <summary>A rank-0 tensor holding <paramref name="value"/> (torch.tensor(3.5)).</summary>
    public static Tensor From(float value) => new([value], []);

    /// <summary>A 1-D copy of <paramref name="values"/>.</summary>
    public static Tensor From(params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Tensor((float[])values.Clone(), [values.Length]);
    }

    /// <summary>A 2-D copy of a rectangular array: shape [rows, columns].</summary>
    public static Tensor From(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int r = values.GetLength(0), c = values.GetLength(1);
        var data = new float[r * c];
        int k = 0;
        foreach (float v in values) data[k++] = v;   // a multi-dimensional array enumerates in row-major order
        return new Tensor(data, [r, c]);
    }

    /// <summary>A 3-D copy of a rectangular array.</summary>
    public static Tensor From(float[,,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = new float[values.Length];
        int k = 0;
        foreach (float v in values) data[k++] = v;
        return new Tensor(data, [values.GetLength(0), values.GetLength(1), values.GetLength(2)]);
    }

    /// <summary>A 2-D copy of a jagged array whose rows all have the same length (torch.tensor([[1, 2], [3, 4]])).</summary>
    /// <exception cref="ArgumentException">A row is null or its length differs from row 0's (both named).</exception>
    public static Tensor From(float[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int c = rows.Length == 0 ? 0 : RowLength(rows[0], "rows[0]");
        var data = new float[rows.Length * c];
        for (int i = 0; i < rows.Length; i++)
        {
            if (RowLength(rows[i], $"rows[{i}]") != c)
                throw new ArgumentException($"rows[{i}] has {rows[i].Length} elements; rows[0] has {c}. A tensor needs rows of one length.", nameof(rows));
            rows[i].CopyTo(data, i * c);
        }
        return new Tensor(data, [rows.Length, c]);
    }

    /// <summary>A 3-D copy of a jagged array whose blocks all have the same shape.</summary>
    /// <exception cref="ArgumentException">A block or row is null or differs in length from the first (named).</exception>
    public static Tensor From(float[][][] blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var parts = new Tensor[blocks.Length];
        for (int i = 0; i < blocks.Length; i++)
        {
            if (blocks[i] is null) throw new ArgumentException($"blocks[{i}] is null.", nameof(blocks));
            parts[i] = From(blocks[i]);
            if (i > 0 && !Shapes.Equal(parts[i].Shape, parts[0].Shape))
                throw new ArgumentException($"blocks[{i}] has shape {Shapes.Format(parts[i].Shape)}; blocks[0] has {Shapes.Format(parts[0].Shape)}.", nameof(blocks));
        }
        if (blocks.Length == 0) return Zeros(0, 0, 0);
        var data = new float[blocks.Length * parts[0].Length];
        for (int i = 0; i < parts.Length; i++) parts[i].Storage.CopyTo(data, i * parts[0].Length);
        return new Tensor(data, [blocks.Length, parts[0].Size(0), parts[0].Size(1)]);
    }

    private static int RowLength(float[]? row, string name) =>
        row?.Length ?? throw new ArgumentException($"{name} is null.", "rows");
}
