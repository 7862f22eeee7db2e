using Nonlinear.Tensors;

namespace Nonlinear.Data;

/// <summary>Seeded train/validation splits (sklearn.model_selection.train_test_split).</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Puts round(<paramref name="validationFraction"/> × N) rows (per class when <paramref name="stratify"/>,
    /// so class proportions are kept) into the validation set, chosen by an <see cref="Rng"/> seeded with
    /// <paramref name="seed"/>; both parts keep the original row order and the parent's class count.
    /// </summary>
    /// <exception cref="ArgumentException">The fraction is outside [0, 1], or stratifying a regression set.</exception>
    public static (Dataset Train, Dataset Validation) TrainValidation(Dataset data, double validationFraction, ulong seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction >= 0 && validationFraction <= 1))
            throw new ArgumentException($"validationFraction = {validationFraction}; expected a value in [0, 1].", nameof(validationFraction));
        if (stratify && data.Labels is null)
            throw new ArgumentException($"{data.Name} is a regression set; stratify needs class labels.", nameof(stratify));
        var rng = new Rng(seed);
        var inValidation = new bool[data.Count];
        if (stratify)
        {
            for (int k = 0; k < data.NumClasses; k++)
            {
                var rows = new List<int>();
                for (int i = 0; i < data.Count; i++) if (data.Labels![i] == k) rows.Add(i);
                Pick(rows, validationFraction, rng, inValidation);
            }
        }
        else
        {
            Pick(Enumerable.Range(0, data.Count).ToList(), validationFraction, rng, inValidation);
        }
        var train = new List<int>();
        var val = new List<int>();
        for (int i = 0; i < data.Count; i++) (inValidation[i] ? val : train).Add(i);
        return (data.Subset(train.ToArray(), data.Name + "/train"), data.Subset(val.ToArray(), data.Name + "/validation"));
    }

    private static void Pick(List<int> rows, double fraction, Rng rng, bool[] inValidation)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
        rng.Shuffle(span);
        int take = (int)Math.Round(fraction * rows.Count, MidpointRounding.AwayFromZero);
        for (int i = 0; i < take; i++) inValidation[span[i]] = true;
    }
}
