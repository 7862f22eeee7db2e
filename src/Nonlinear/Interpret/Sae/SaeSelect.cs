using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Top-k selection without sorting: a size-k min-heap per row (O(d log k), most entries rejected by one
/// comparison with the heap's minimum), and an expected-linear quickselect for the batch-wide rule of BatchTopK.
/// </summary>
internal static class SaeSelect
{
    /// <summary>
    /// Writes into <paramref name="idx"/> the indices of the <paramref name="k"/> largest entries of
    /// <paramref name="row"/> (among <paramref name="allowed"/> ones when given), in no particular order, and returns
    /// how many were found. Ties keep the lower index.
    /// </summary>
    public static int TopK<T>(ReadOnlySpan<T> row, int k, Span<int> idx, bool[]? allowed = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = 0;
        for (int j = 0; j < row.Length; j++)
        {
            if (allowed is not null && !allowed[j]) continue;
            T v = row[j];
            if (size < k)
            {
                idx[size] = j;
                SiftUp(row, idx, size++);
            }
            else if (Less(row, idx[0], j))
            {
                idx[0] = j;
                SiftDown(row, idx, size);
            }
        }
        return size;
    }

    // Heap order: the root is the "smallest" — lowest value, and among equal values the highest index (which a
    // later equal value must not displace, so earlier indices win ties).
    private static bool Less<T>(ReadOnlySpan<T> row, int a, int b) where T : IFloatingPointIeee754<T>
        => row[a] < row[b] || (row[a] == row[b] && a > b);

    private static void SiftUp<T>(ReadOnlySpan<T> row, Span<int> h, int i) where T : IFloatingPointIeee754<T>
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(row, h[i], h[parent])) break;
            (h[i], h[parent]) = (h[parent], h[i]);
            i = parent;
        }
    }

    private static void SiftDown<T>(ReadOnlySpan<T> row, Span<int> h, int size) where T : IFloatingPointIeee754<T>
    {
        int i = 0;
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, s = i;
            if (l < size && Less(row, h[l], h[s])) s = l;
            if (r < size && Less(row, h[r], h[s])) s = r;
            if (s == i) return;
            (h[i], h[s]) = (h[s], h[i]);
            i = s;
        }
    }

    /// <summary>The <paramref name="rank"/>-th largest (0 = the largest) of <paramref name="values"/>, which it reorders.</summary>
    public static T NthLargest<T>(Span<T> values, int rank) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lo = 0, hi = values.Length - 1;
        while (true)
        {
            if (lo >= hi) return values[lo];
            // Median of three as pivot; Hoare partition into ≥ pivot | ≤ pivot.
            int mid = lo + ((hi - lo) >> 1);
            T a = values[lo], b = values[mid], c = values[hi];
            T pivot = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] > pivot) i++;
                while (values[j] < pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return values[rank];
        }
    }
}
