using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

public class DataLoaderTests
{
    // Row i has features (i, 10 i) and label i % 3, so every batch can be checked against its indices.
    private static Dataset Rows(int n) => Dataset.Classification(
        Enumerable.Range(0, n).SelectMany(i => new float[] { i, 10 * i }).ToArray(),
        Enumerable.Range(0, n).Select(i => i % 3).ToArray(), 2);

    private static List<int[]> Orders(DataLoader loader, int epoch) =>
        loader.Epoch(epoch).Select(b => b.Indices.ToArray()).ToList();

    [Fact]
    public void BatchCountsWithAndWithoutDropLast()
    {
        var data = Rows(10);
        var keep = new DataLoader(data, 4, shuffle: true, seed: 1);
        Assert.Equal(3, keep.BatchesPerEpoch);
        Assert.Equal(new[] { 4, 4, 2 }, keep.Epoch(0).Select(b => b.Count));
        var drop = new DataLoader(data, 4, shuffle: true, seed: 1, dropLast: true);
        Assert.Equal(2, drop.BatchesPerEpoch);
        Assert.Equal(new[] { 4, 4 }, drop.Epoch(0).Select(b => b.Count));
        Assert.Equal(Orders(keep, 0).Take(2).SelectMany(x => x), Orders(drop, 0).SelectMany(x => x));
        Assert.Equal(new[] { 10 }, new DataLoader(data, 64).Epoch(0).Select(b => b.Count));
        Assert.Empty(new DataLoader(data, 64, dropLast: true).Epoch(0));
    }

    [Fact]
    public void SameSeedAndEpochGiveSameOrderAcrossInstances()
    {
        var data = Rows(50);
        var a = new DataLoader(data, 8, seed: 42);
        var b = new DataLoader(data, 8, seed: 42);
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(Orders(a, epoch), Orders(b, epoch));
        // Resuming at epoch 2 without having run epochs 0 and 1 gives the same batches.
        Assert.Equal(Orders(a, 2), Orders(new DataLoader(data, 8, seed: 42), 2));
    }

    [Fact]
    public void EpochsAndSeedsDifferAndEachEpochIsAPermutation()
    {
        var data = Rows(50);
        var loader = new DataLoader(data, 8, seed: 42);
        var e0 = loader.EpochOrder(0);
        var e1 = loader.EpochOrder(1);
        Assert.NotEqual(e0, e1);
        Assert.NotEqual(e0, new DataLoader(data, 8, seed: 43).EpochOrder(0));
        Assert.NotEqual(Enumerable.Range(0, 50), e0);
        Assert.Equal(Enumerable.Range(0, 50), e0.Order());
        Assert.Equal(Enumerable.Range(0, 50), e1.Order());
        Assert.Equal(Enumerable.Range(0, 50), new DataLoader(data, 8, shuffle: false).EpochOrder(5));
    }

    [Fact]
    public void BatchesHoldTheRowsTheyNameAndReuseBuffers()
    {
        var loader = new DataLoader(Rows(10), 4, seed: 3);
        var seenTensors = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var batch in loader.Epoch(0))
        {
            Assert.Equal(new[] { batch.Count, 2 }, batch.Features.Shape.ToArray());
            var f = batch.Features.ToArray();
            for (int r = 0; r < batch.Count; r++)
            {
                int i = batch.Indices[r];
                Assert.Equal(new float[] { i, 10 * i }, f.AsSpan(2 * r, 2).ToArray());
                Assert.Equal(i % 3, batch.Labels[r]);
            }
            seenTensors.Add(batch.Features);
        }
        foreach (var batch in loader.Epoch(1)) seenTensors.Add(batch.Features);
        Assert.Equal(2, seenTensors.Count);          // one [4,2] buffer and one [2,2] buffer over two epochs
    }

    [Fact]
    public void RegressionBatchesCarryTargets()
    {
        var data = Dataset.Regression([1, 2, 3], [0.5f, 1.5f, 2.5f], 1);
        var batch = new DataLoader(data, 3, shuffle: false).Epoch(0).Single();
        Assert.Equal(new[] { 0.5f, 1.5f, 2.5f }, batch.Targets);
        Assert.Empty(batch.Labels);
    }

    [Fact]
    public void InvalidArguments()
    {
        Assert.Contains("batchSize = 0", Assert.Throws<ArgumentException>(() => new DataLoader(Rows(3), 0)).Message);
        Assert.Contains("epoch = -1", Assert.Throws<ArgumentException>(() => new DataLoader(Rows(3), 1).EpochOrder(-1)).Message);
    }
}
