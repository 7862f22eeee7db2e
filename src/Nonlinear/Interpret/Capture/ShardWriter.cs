using System.Globalization;
using Nonlinear.IO;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Capture;

/// <summary>
/// Buffers captured batches and writes them as shards of at most about maxShardBytes (whole inputs; one input more
/// than the bound gets a shard of its own), each through <see cref="SafeTensors.Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/>
/// (atomic), then the index.
/// </summary>
internal sealed class ShardWriter : IDisposable
{
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly List<ShardIndex.Shard> _shards = [];
    private ShardLayer[]? _layers;
    private float[][]? _buffers;
    private readonly List<int> _labels = [];
    private int _buffered, _capacity, _written;

    public ShardWriter(string directory, long maxBytes)
    {
        if (maxBytes < 1024) throw new InvalidInputException($"maximum shard size must be ≥ 1024 bytes; got {maxBytes}.", nameof(maxBytes));
        if (File.Exists(Path.Combine(directory, ActivationShards.IndexFile)))
            throw new InvalidInputException($"{directory} already holds a capture ({ActivationShards.IndexFile}); choose an empty folder.", nameof(directory));
        Directory.CreateDirectory(directory);
        _directory = directory;
        _maxBytes = maxBytes;
    }

    public void Add(CaptureBatch batch)
    {
        if (_layers is null)
        {
            _layers = batch.Layers.Select(l => new ShardLayer(l.Name, l.Units, l.RowsPerInput)).ToArray();
            long perInput = Math.Max(1, _layers.Sum(l => 4L * l.Units * l.RowsPerInput));
            _capacity = (int)Math.Clamp(_maxBytes / perInput, 1, int.MaxValue / Math.Max(1, _layers.Max(l => l.Units * l.RowsPerInput)));
            _buffers = _layers.Select(l => new float[(long)_capacity * l.Units * l.RowsPerInput]).ToArray();
        }
        int taken = 0;
        while (taken < batch.Count)
        {
            int n = Math.Min(batch.Count - taken, _capacity - _buffered);
            for (int i = 0; i < _layers.Length; i++)
            {
                int per = _layers[i].Units * _layers[i].RowsPerInput;
                batch.Layers[i].Values.AsSpan(taken * per, n * per).CopyTo(_buffers![i].AsSpan(_buffered * per));
            }
            for (int k = 0; k < n && batch.Labels.Count > 0; k++) _labels.Add(batch.Labels[taken + k]);
            _buffered += n;
            taken += n;
            if (_buffered == _capacity) Flush();
        }
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        string file = $"shard-{_shards.Count.ToString("00000", CultureInfo.InvariantCulture)}.safetensors";
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < _layers!.Length; i++)
        {
            var l = _layers[i];
            int rows = _buffered * l.RowsPerInput;
            tensors[l.Name] = Tensor.FromArray(_buffers![i].AsSpan(0, rows * l.Units).ToArray(), rows, l.Units);
        }
        if (_labels.Count > 0) tensors[ActivationShards.LabelsKey] = Tensor.FromArray(_labels.Select(v => (float)v).ToArray(), _labels.Count);
        var meta = new Dictionary<string, string> { ["first_input"] = _written.ToString(CultureInfo.InvariantCulture) };
        SafeTensors.Save(Path.Combine(_directory, file), tensors, meta);
        _shards.Add(new ShardIndex.Shard(file, _written, _buffered));
        _written += _buffered;
        _buffered = 0;
        _labels.Clear();
    }

    public ShardIndex Finish()
    {
        Flush();
        var index = new ShardIndex(_written, _layers ?? [], _shards);
        AtomicFile.WriteAllText(Path.Combine(_directory, ActivationShards.IndexFile), index.ToJson());
        return index;
    }

    public void Dispose() => _buffers = null;
}
