using Nonlinear.Interpret.Probes;

namespace Nonlinear.Interpret.Regions;

/// <summary>
/// How a network's activation patterns encode a data set ("Neural networks behave as hash encoders", Lei et al. 2023,
/// arXiv:2101.05490): <see cref="DistinctPatterns"/> linear regions among the training inputs, the fraction of those
/// regions holding at most one training input (the paper's determinism; every region found holds ≥ 1, so this is the
/// share of singleton regions), and the test accuracy of k-NN (Hamming distance) and of logistic regression on the codes
/// (the paper's categorization).
/// </summary>
public sealed record HashEncoding(int TrainInputs, int DistinctPatterns, double SingletonRegionFraction, double KnnAccuracy, double LogisticAccuracy, int K)
{
    /// <summary>
    /// Measures the encoding: regions over <paramref name="train"/>; k-NN and a logistic probe fitted on the training codes
    /// and scored on <paramref name="test"/>. k-NN ties in distance are broken by training index, votes by the smaller class.
    /// </summary>
    public static HashEncoding Measure(ActivationCodes train, IReadOnlyList<int> trainLabels, ActivationCodes test, IReadOnlyList<int> testLabels,
        int classes, int k = 1, ProbeOptions? probe = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testLabels);
        if (train.Bits != test.Bits) throw new ArgumentException($"train codes have {train.Bits} bits; test codes {test.Bits}.", nameof(test));
        if (trainLabels.Count != train.Inputs || testLabels.Count != test.Inputs) throw new ArgumentException("one label per coded input is needed.", nameof(trainLabels));
        if (k < 1 || k > train.Inputs) throw new InvalidInputException($"k must be in [1, {train.Inputs}]; got {k}.", nameof(k));
        var regions = train.Regions();
        double singletons = regions.Count == 0 ? double.NaN : (double)regions.Values.Count(c => c <= 1) / regions.Count;
        double knn = Knn(train, trainLabels, test, testLabels, classes, k);
        var trainY = trainLabels.ToArray();
        var p = LinearProbe.Fit(train.ToFloats(), train.Bits, trainY, classes, (probe ?? new ProbeOptions()) with { Standardize = false });
        double logistic = p.Accuracy(test.ToFloats(), testLabels.ToArray());
        return new HashEncoding(train.Inputs, regions.Count, singletons, knn, logistic, k);
    }

    private static double Knn(ActivationCodes train, IReadOnlyList<int> trainLabels, ActivationCodes test, IReadOnlyList<int> testLabels, int classes, int k)
    {
        var hits = new int[test.Inputs];
        Parallel.For(0, test.Inputs, j =>
        {
            var dist = new int[train.Inputs];
            for (int i = 0; i < train.Inputs; i++) dist[i] = train.Hamming(i, test, j);
            var order = Enumerable.Range(0, train.Inputs).OrderBy(i => dist[i]).ThenBy(i => i).Take(k);
            var votes = new int[classes];
            foreach (int i in order) votes[trainLabels[i]]++;
            int best = 0;
            for (int c = 1; c < classes; c++) if (votes[c] > votes[best]) best = c;
            hits[j] = best == testLabels[j] ? 1 : 0;
        });
        return test.Inputs == 0 ? double.NaN : (double)hits.Sum() / test.Inputs;
    }
}
