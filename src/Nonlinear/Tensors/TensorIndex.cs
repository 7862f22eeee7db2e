namespace Nonlinear.Tensors;

/// <summary>
/// One component of a range index <c>t[.., 0]</c>, <c>t[1..3, ^1]</c>: an <see cref="System.Index"/> picks one entry
/// and removes the dimension (torch's integer index), a <see cref="System.Range"/> keeps a slice of it. Made
/// implicitly from <c>int</c>, <c>Index</c> and <c>Range</c>; not built by hand.
/// </summary>
public readonly struct TensorIndex
{
    private TensorIndex(Index? index, Range? range) { Index = index; Range = range; }

    /// <summary>The entry picked, or null for a range.</summary>
    public Index? Index { get; }

    /// <summary>The slice kept, or null for a single entry.</summary>
    public Range? Range { get; }

    /// <summary>Picks entry <paramref name="i"/> (negative values are not allowed; use <c>^k</c> to count from the end).</summary>
    public static implicit operator TensorIndex(int i) => new(i >= 0 ? new Index(i) : throw new ArgumentOutOfRangeException(nameof(i), i, "a tensor index must be ≥ 0; use ^k to count from the end."), null);

    /// <summary>Picks entry <paramref name="i"/>, counted from the end for <c>^k</c>.</summary>
    public static implicit operator TensorIndex(Index i) => new(i, null);

    /// <summary>Keeps the slice <paramref name="r"/>.</summary>
    public static implicit operator TensorIndex(Range r) => new(null, r);

    /// <summary>Index and range written as C# writes them ("^1", "1..3").</summary>
    public override string ToString() => Index?.ToString() ?? Range!.Value.ToString();
}
