namespace Nonlinear.Data;

/// <summary>
/// Per-feature standardization x' = (x − μ) / σ with μ and σ (population standard deviation, accumulated
/// in double) fitted on the training set and applied unchanged to validation and test sets
/// (sklearn.preprocessing.StandardScaler). A constant feature has σ = 0, which is replaced by 1.
/// </summary>
public sealed class Standardizer
{
    /// <summary>Per-feature means μ.</summary>
    public float[] Mean { get; }
    /// <summary>Per-feature scales σ (never 0).</summary>
    public float[] Std { get; }

    /// <summary>A standardizer with given statistics (e.g. restored from a checkpoint).</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a scale is not positive and finite.</exception>
    public Standardizer(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length != std.Length)
            throw new ArgumentException($"mean has {mean.Length} entries but std has {std.Length}.", nameof(std));
        for (int j = 0; j < std.Length; j++)
            if (!(std[j] > 0) || !float.IsFinite(std[j]) || !float.IsFinite(mean[j]))
                throw new ArgumentException($"std[{j}] = {std[j]}, mean[{j}] = {mean[j]}; expected finite values with std > 0.", nameof(std));
        Mean = mean;
        Std = std;
    }

    /// <summary>Fits μ and σ on <paramref name="train"/>.</summary>
    /// <exception cref="ArgumentException">The set is empty.</exception>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("train has 0 rows; expected at least 1 to fit a standardizer.", nameof(train));
        int n = train.Count, d = train.FeatureCount;
        var sum = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = train.Row(i);
            for (int j = 0; j < d; j++) sum[j] += row[j];
        }
        var mean = new double[d];
        for (int j = 0; j < d; j++) mean[j] = sum[j] / n;
        // Two passes: Σ(x−μ)² does not cancel catastrophically the way Σx² − nμ² does.
        var sq = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = train.Row(i);
            for (int j = 0; j < d; j++) { double c = row[j] - mean[j]; sq[j] += c * c; }
        }
        var m = new float[d];
        var s = new float[d];
        for (int j = 0; j < d; j++)
        {
            m[j] = (float)mean[j];
            float std = (float)Math.Sqrt(sq[j] / n);
            s[j] = std > 0 ? std : 1f;
        }
        return new Standardizer(m, s);
    }

    /// <summary>Standardizes row-major N × D <paramref name="features"/> in place.</summary>
    public void TransformInPlace(Span<float> features)
    {
        int d = Mean.Length;
        if (d == 0) return;
        if (features.Length % d != 0)
            throw new ArgumentException($"features has {features.Length} values, not a multiple of {d} features.", nameof(features));
        for (int i = 0; i < features.Length; i += d)
            for (int j = 0; j < d; j++) features[i + j] = (features[i + j] - Mean[j]) / Std[j];
    }

    /// <summary>A copy of <paramref name="data"/> with standardized features.</summary>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != Mean.Length)
            throw new ArgumentException($"{data.Name} has {data.FeatureCount} features; this standardizer was fitted on {Mean.Length}.", nameof(data));
        var copy = (float[])data.Features.Clone();
        TransformInPlace(copy);
        return data.WithFeatures(copy);
    }
}
