using Nonlinear.Tensors;

namespace Nonlinear.Data;

/// <summary>
/// One mini-batch. <see cref="Features"/> is a [B, D] tensor; <see cref="Labels"/> or <see cref="Targets"/>
/// hold B entries. The loader reuses these buffers: a batch is valid until the next one is produced.
/// </summary>
public sealed class Batch
{
    internal Batch(int size, int featureCount, bool regression)
    {
        Features = Tensor.Zeros(size, featureCount);
        Labels = regression ? [] : new int[size];
        Targets = regression ? new float[size] : [];
        Indices = new int[size];
    }

    /// <summary>The rows, shape [B, D].</summary>
    public Tensor Features { get; }
    /// <summary>Class labels (empty for regression).</summary>
    public int[] Labels { get; }
    /// <summary>Regression targets (empty for classification).</summary>
    public float[] Targets { get; }
    /// <summary>The dataset rows this batch holds, in order.</summary>
    public int[] Indices { get; }
    /// <summary>Number of rows B.</summary>
    public int Count => Indices.Length;
}

/// <summary>
/// Cuts a <see cref="Dataset"/> into mini-batches (torch.utils.data.DataLoader). With shuffling, the order
/// of epoch e is a Fisher–Yates shuffle by an <see cref="Rng"/> seeded from (seed, e) alone, so a run resumed
/// at epoch e sees exactly the batches it would have seen. Batch buffers are allocated once and reused.
/// </summary>
public sealed class DataLoader
{
    private readonly Dataset _data;
    private readonly Batch _full;
    private Batch? _partial;

    /// <summary>A loader over <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="batchSize"/> is not positive.</exception>
    public DataLoader(Dataset data, int batchSize, bool shuffle = true, ulong seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentException($"batchSize = {batchSize}; expected ≥ 1.", nameof(batchSize));
        _data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        _full = new Batch(Math.Min(batchSize, Math.Max(data.Count, 1)), data.FeatureCount, data.IsRegression);
    }

    /// <summary>Rows per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch visits the rows in a seeded random order.</summary>
    public bool Shuffle { get; }
    /// <summary>The seed that, with the epoch number, fixes the order.</summary>
    public ulong Seed { get; }
    /// <summary>Whether a final batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch: ⌊N/B⌋ with drop-last, else ⌈N/B⌉.</summary>
    public int BatchesPerEpoch => DropLast ? _data.Count / BatchSize : (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The row order of epoch <paramref name="epoch"/> (identity without shuffling).</summary>
    public int[] EpochOrder(int epoch)
    {
        if (epoch < 0) throw new ArgumentException($"epoch = {epoch}; expected ≥ 0.", nameof(epoch));
        var order = new int[_data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (Shuffle)
        {
            // Distinct odd multipliers keep (seed, epoch) pairs apart before SplitMix64 scrambles them.
            ulong mixed = unchecked(Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)epoch + 1) * 0xD1B54A32D192ED03UL);
            new Rng(mixed).Shuffle(order.AsSpan());
        }
        return order;
    }

    /// <summary>The batches of epoch <paramref name="epoch"/>; each yielded batch is overwritten by the next.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        int[] order = EpochOrder(epoch);
        int batches = BatchesPerEpoch;
        for (int b = 0; b < batches; b++)
        {
            int start = b * BatchSize, size = Math.Min(BatchSize, order.Length - start);
            Batch batch = size == _full.Count ? _full : (_partial is { } p && p.Count == size ? p : _partial = new Batch(size, _data.FeatureCount, _data.IsRegression));
            Fill(batch, order.AsSpan(start, size));
            yield return batch;
        }
    }

    private void Fill(Batch batch, ReadOnlySpan<int> rows)
    {
        int d = _data.FeatureCount;
        var dst = batch.Features.AsSpan();
        for (int r = 0; r < rows.Length; r++)
        {
            int i = rows[r];
            batch.Indices[r] = i;
            _data.Features.AsSpan(i * d, d).CopyTo(dst.Slice(r * d, d));
            if (_data.Labels is { } labels) batch.Labels[r] = labels[i];
            else batch.Targets[r] = _data.Targets![i];
        }
    }
}
