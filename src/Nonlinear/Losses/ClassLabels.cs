using Nonlinear.Tensors;

namespace Nonlinear.Losses;

/// <summary>Class labels given as a tensor (torch passes a LongTensor; ours are float tensors of exact integers).</summary>
internal static class ClassLabels
{
    /// <summary>The labels of a 1-D tensor as class indices; the range against the class count is checked by the loss.</summary>
    /// <exception cref="ArgumentException">Not 1-D, or an entry that is not an exact integer (index and value named).</exception>
    public static int[] ToIndices(Tensor labels, string argument)
    {
        ArgumentNullException.ThrowIfNull(labels, argument);
        if (labels.Rank != 1)
            throw new ArgumentException($"{argument} must be a 1-D tensor of class indices, one per batch row; got shape {Shapes.Format(labels.Shape)}.", argument);
        var values = labels.Contiguous().AsReadOnlySpan();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            // 2²⁴ bounds the integers a float holds exactly; class counts are far below it.
            if (!(v >= 0f && v < 16777216f) || v != MathF.Floor(v))
                throw new ArgumentException($"{argument}[{i}] = {v:R} is not a class index: expected an exact integer ≥ 0.", argument);
            result[i] = (int)v;
        }
        return result;
    }
}
