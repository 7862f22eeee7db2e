using Nonlinear.IO;

namespace Nonlinear.Interpret.Capture;

/// <summary>
/// A capture streamed to disk by <see cref="ActivationCapture.ToShards"/>: a folder with <c>index.json</c> and
/// <c>shard-00000.safetensors</c>, … Each shard holds one F32 tensor [rows, units] per module (keyed by its dotted
/// name) and the inputs' labels under <see cref="LabelsKey"/>; torch reads them with safetensors.torch.load_file.
/// <see cref="Read"/> yields the shards in input order, one in memory at a time.
/// </summary>
public sealed class ActivationShards
{
    /// <summary>The index file's name.</summary>
    public const string IndexFile = "index.json";
    /// <summary>The key of the label tensor in each shard ('#' cannot occur in a module name).</summary>
    public const string LabelsKey = "#labels";
    /// <summary>Default bound on a shard's size: 256 MiB.</summary>
    public const long DefaultMaxShardBytes = 256L << 20;

    private readonly string _directory;

    private ActivationShards(string directory, ShardIndex index)
    {
        _directory = directory;
        Index = index;
    }

    /// <summary>What the folder holds.</summary>
    public ShardIndex Index { get; }

    /// <summary>Opens the capture in <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">No index (the capture did not finish, or the folder is not one).</exception>
    /// <exception cref="InvalidDataException">The index is corrupt.</exception>
    public static ActivationShards Open(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, IndexFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory} has no {IndexFile}: not a finished activation capture.", path);
        RegularFile.Require(path);
        var info = new FileInfo(path);
        if (info.Length > 16 << 20) throw new InvalidDataException($"{path}: index of {info.Length} bytes exceeds the 16 MiB bound.");
        return new ActivationShards(directory, ShardIndex.Parse(File.ReadAllText(path), path));
    }

    /// <summary>The shards as batches, in input order; every shard is checked against the index as it is read.</summary>
    /// <exception cref="InvalidDataException">A shard is missing a layer or disagrees with the index in shape.</exception>
    public IEnumerable<CaptureBatch> Read()
    {
        foreach (var s in Index.Shards)
        {
            string path = Path.Combine(_directory, s.File);
            var (tensors, _) = SafeTensors.Load(path);
            var layers = new ActivationMatrix[Index.Layers.Count];
            for (int i = 0; i < layers.Length; i++)
            {
                var l = Index.Layers[i];
                if (!tensors.TryGetValue(l.Name, out var t))
                    throw new InvalidDataException($"{path}: no tensor '{l.Name}' although the index lists that layer.");
                int rows = s.Inputs * l.RowsPerInput;
                if (t.Rank != 2 || t.Size(0) != rows || t.Size(1) != l.Units)
                    throw new InvalidDataException($"{path}: tensor '{l.Name}' has shape [{string.Join(", ", t.Shape.ToArray())}]; the index implies [{rows}, {l.Units}].");
                layers[i] = new ActivationMatrix(l.Name, t.AsReadOnlySpan().ToArray(), rows, l.Units, l.RowsPerInput);
            }
            int[] labels = [];
            if (tensors.TryGetValue(LabelsKey, out var lt))
            {
                if (lt.Rank != 1 || lt.Size(0) != s.Inputs)
                    throw new InvalidDataException($"{path}: '{LabelsKey}' has {lt.Length} values; expected {s.Inputs}.");
                labels = lt.AsReadOnlySpan().ToArray().Select(v => (int)v).ToArray();
            }
            yield return new CaptureBatch(s.FirstInput, s.Inputs, labels, layers);
        }
    }
}
