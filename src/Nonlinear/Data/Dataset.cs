namespace Nonlinear.Data;

/// <summary>
/// An in-memory table: <see cref="Features"/> is N × D row-major float32, with either integer class
/// <see cref="Labels"/> (classification) or float <see cref="Targets"/> (regression).
/// </summary>
public sealed class Dataset
{
    /// <summary>Row-major N × D features.</summary>
    public float[] Features { get; }
    /// <summary>Class labels in [0, <see cref="NumClasses"/>), or null for a regression set.</summary>
    public int[]? Labels { get; }
    /// <summary>Regression targets, or null for a classification set.</summary>
    public float[]? Targets { get; }
    /// <summary>Number of rows N.</summary>
    public int Count { get; }
    /// <summary>Number of features per row D.</summary>
    public int FeatureCount { get; }
    /// <summary>Number of classes (1 + the largest label, unless given larger); 0 for regression.</summary>
    public int NumClasses { get; }
    /// <summary>A short description for logs (e.g. "digits/train").</summary>
    public string Name { get; }
    /// <summary>True when the set has float targets rather than labels.</summary>
    public bool IsRegression => Targets is not null;

    private Dataset(string name, float[] features, int featureCount, int[]? labels, float[]? targets, int numClasses)
    {
        Name = name;
        Features = features;
        FeatureCount = featureCount;
        Count = featureCount == 0 ? (labels?.Length ?? targets!.Length) : features.Length / featureCount;
        Labels = labels;
        Targets = targets;
        NumClasses = numClasses;
    }

    /// <summary>A classification set; <paramref name="numClasses"/> defaults to 1 + the largest label.</summary>
    /// <exception cref="ArgumentException">Sizes disagree, or a label is negative or ≥ <paramref name="numClasses"/>.</exception>
    public static Dataset Classification(float[] features, int[] labels, int featureCount, int? numClasses = null, string name = "dataset")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        CheckSizes(features, labels.Length, featureCount);
        int max = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) throw new ArgumentException($"labels[{i}] = {labels[i]}; labels must be ≥ 0.", nameof(labels));
            max = Math.Max(max, labels[i]);
        }
        int k = numClasses ?? max + 1;
        if (k <= max) throw new ArgumentException($"numClasses = {k} but the largest label is {max}.", nameof(numClasses));
        return new Dataset(name, features, featureCount, labels, null, k);
    }

    /// <summary>A regression set with one float target per row.</summary>
    /// <exception cref="ArgumentException">Sizes disagree.</exception>
    public static Dataset Regression(float[] features, float[] targets, int featureCount, string name = "dataset")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        CheckSizes(features, targets.Length, featureCount);
        return new Dataset(name, features, featureCount, null, targets, 0);
    }

    private static void CheckSizes(float[] features, int rows, int featureCount)
    {
        if (featureCount < 0) throw new ArgumentException($"featureCount = {featureCount}; expected ≥ 0.", nameof(featureCount));
        if ((long)rows * featureCount != features.Length)
            throw new ArgumentException($"features has {features.Length} values; expected {rows} rows × {featureCount} features = {(long)rows * featureCount}.", nameof(features));
    }

    /// <summary>Row <paramref name="i"/> of the features.</summary>
    public ReadOnlySpan<float> Row(int i) => Features.AsSpan(checked(i * FeatureCount), FeatureCount);

    /// <summary>A new set holding copies of the rows at <paramref name="indices"/>, in that order; keeps <see cref="NumClasses"/>.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        int d = FeatureCount;
        var features = new float[(long)indices.Length * d];
        for (int r = 0; r < indices.Length; r++)
        {
            if ((uint)indices[r] >= (uint)Count)
                throw new ArgumentException($"indices[{r}] = {indices[r]} is outside [0, {Count}).", nameof(indices));
            Features.AsSpan(indices[r] * d, d).CopyTo(features.AsSpan(r * d, d));
        }
        if (Labels is not null)
        {
            var labels = new int[indices.Length];
            for (int r = 0; r < labels.Length; r++) labels[r] = Labels[indices[r]];
            return new Dataset(name ?? Name, features, d, labels, null, NumClasses);
        }
        var targets = new float[indices.Length];
        for (int r = 0; r < targets.Length; r++) targets[r] = Targets![indices[r]];
        return new Dataset(name ?? Name, features, d, null, targets, 0);
    }

    /// <summary>The same rows with other features (e.g. standardized), same labels/targets.</summary>
    public Dataset WithFeatures(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        CheckSizes(features, Count, FeatureCount);
        return new Dataset(Name, features, FeatureCount, Labels, Targets, NumClasses);
    }

    /// <summary>Name, size and kind, e.g. "digits/train: 1437 × 64, 10 classes".</summary>
    public override string ToString() =>
        $"{Name}: {Count} × {FeatureCount}, {(IsRegression ? "regression" : $"{NumClasses} classes")}";
}
