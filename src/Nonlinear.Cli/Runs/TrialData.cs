using System.Collections.Concurrent;
using Nonlinear.Cli.Commands;
using Nonlinear.Data;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// The data sets a worker's trials train on, loaded once per (data, folder, test file) and shared by every trial and
/// every worker thread of the process. A 24-trial study used to read and standardise its data 24 times; `compare`
/// loads its data before the study starts (to print its size) and hands it over with <see cref="Add"/>. Trials only
/// read the arrays (the trainer shuffles an index list of its own), so sharing them does not change a result.
/// </summary>
internal sealed class TrialData
{
    private readonly ConcurrentDictionary<(string Data, string? Dir, string? Test), Lazy<(Dataset Train, Dataset Test)>> _sets = new();

    /// <summary>The train and test split of <paramref name="settings"/>, loaded by the first trial that asks.</summary>
    public (Dataset Train, Dataset Test) Get(RunSettings settings) =>
        _sets.GetOrAdd(Key(settings), _ => new Lazy<(Dataset, Dataset)>(settings.LoadData)).Value;

    /// <summary>Registers data already loaded for <paramref name="settings"/> (what <see cref="RunSettings.LoadData"/> returned).</summary>
    public void Add(RunSettings settings, (Dataset Train, Dataset Test) data) => _sets.TryAdd(Key(settings), new Lazy<(Dataset, Dataset)>(data));

    private static (string, string?, string?) Key(RunSettings s) => (s.Data, s.DataDir, s.Test);
}
