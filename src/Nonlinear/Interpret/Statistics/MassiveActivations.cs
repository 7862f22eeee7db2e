using Nonlinear.Interpret.Capture;

namespace Nonlinear.Interpret.Statistics;

/// <summary>One large activation: its signed value, unit, row and input.</summary>
public readonly record struct MassiveActivation(double Value, int Unit, long Row, int Input);

/// <summary>
/// Massive activations (Sun et al. 2024, "Massive activations in large language models", arXiv:2402.17762): the
/// largest |a| of a layer against its typical magnitude. <see cref="Ratio"/> is max|a| / median|a| over all values, as
/// in the paper; in a ReLU layer most values are 0 and the median is 0, so <see cref="RatioToNonzeroMedian"/> divides by
/// the median |a| of the nonzero values instead. NaN values are ignored.
/// </summary>
/// <param name="Top">The largest |a| first (ties: earlier row, then smaller unit).</param>
/// <param name="Median">Median |a| (numpy.median's midpoint of the two middle values).</param>
/// <param name="NonzeroMedian">Median of the nonzero |a| (NaN when all are 0).</param>
public sealed record MassiveActivations(IReadOnlyList<MassiveActivation> Top, double Median, double NonzeroMedian)
{
    /// <summary>max|a| / median|a| (+∞ when the median is 0 and some value is not; NaN without values).</summary>
    public double Ratio => Top.Count == 0 ? double.NaN : Math.Abs(Top[0].Value) / Median;

    /// <summary>max|a| / median of the nonzero |a| (NaN when every value is 0).</summary>
    public double RatioToNonzeroMedian => Top.Count == 0 || double.IsNaN(NonzeroMedian) ? double.NaN : Math.Abs(Top[0].Value) / NonzeroMedian;

    /// <summary>Finds the <paramref name="top"/> largest |a| of <paramref name="layer"/> and the medians (exact: sorts a copy).</summary>
    public static MassiveActivations Find(ActivationMatrix layer, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var values = layer.Values;
        var abs = new List<double>(values.Length);
        var nonzero = new List<double>();
        foreach (float v in values)
        {
            if (float.IsNaN(v)) continue;
            double a = Math.Abs((double)v);
            abs.Add(a);
            if (a != 0) nonzero.Add(a);
        }
        // A bounded min-heap keyed by (|a|, earlier index wins ties) keeps the top entries in one pass.
        var heap = new PriorityQueue<long, (double, long)>(Comparer<(double A, long I)>.Create((x, y) => x.A != y.A ? x.A.CompareTo(y.A) : y.I.CompareTo(x.I)));
        for (long i = 0; i < values.Length && top > 0; i++)
        {
            float v = values[i];
            if (float.IsNaN(v)) continue;
            double a = Math.Abs((double)v);
            if (heap.Count < top) heap.Enqueue(i, (a, i));
            else if (heap.TryPeek(out _, out var least) && (a > least.Item1)) { heap.Dequeue(); heap.Enqueue(i, (a, i)); }
        }
        var best = new List<MassiveActivation>();
        while (heap.TryDequeue(out long i, out _))
        {
            long row = i / Math.Max(1, layer.Units);
            best.Add(new MassiveActivation(values[i], (int)(i % layer.Units), row, layer.InputOf(row)));
        }
        best.Reverse();
        return new MassiveActivations(best, MedianOf(abs), MedianOf(nonzero));
    }

    private static double MedianOf(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}
