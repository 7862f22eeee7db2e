using Nonlinear.Tensors;

namespace Nonlinear.Tests.OpsGrad.Reference;

/// <summary>
/// The double-precision reference: a row-major double[] with a shape, and naive loops over multi-indices.
/// Deliberately independent of the library (no strides, no views, no SIMD, no shared helpers).
/// </summary>
public sealed class RefTensor(double[] data, int[] shape)
{
    public double[] D { get; } = data;
    public int[] S { get; } = shape;
    public int Length => D.Length;
    public int Rank => S.Length;

    public static RefTensor Zeros(params int[] shape) => new(new double[Count(shape)], shape);

    public static RefTensor From(Tensor t) => new(Array.ConvertAll(t.ToArray(), v => (double)v), t.Shape.ToArray());

    public static int Count(int[] shape)
    {
        int n = 1;
        foreach (int s in shape) n *= s;
        return n;
    }

    public RefTensor Map(Func<double, double> f) => new(Array.ConvertAll(D, v => f(v)), S);

    public RefTensor Abs() => Map(Math.Abs);

    /// <summary>Multi-index of flat position <paramref name="flat"/> (row-major).</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }

    /// <summary>Flat position of a multi-index (row-major).</summary>
    public static int Ravel(int[] idx, int[] shape)
    {
        int flat = 0;
        for (int d = 0; d < shape.Length; d++) flat = flat * shape[d] + idx[d];
        return flat;
    }

    public double this[params int[] idx] => D[Ravel(idx, S)];
}

/// <summary>Parses shape lists like "2,3|3" (| separates tensors, an empty part is a rank-0 shape).</summary>
public static class ShapeSpec
{
    public static int[][] Parse(string spec) =>
        spec.Split('|').Select(p => p.Length == 0 ? Array.Empty<int>() : p.Split(',').Select(int.Parse).ToArray()).ToArray();
}
