using System.Globalization;
using Nonlinear.Store;
using Nonlinear.Training;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// Writes one run into a store as it goes: started, each epoch (or logged step), finished (or failed). Every command
/// that records runs goes through this class: train and compare per epoch, sweep trials, and fit, lm and sae through
/// <see cref="CommandRun"/>.
/// </summary>
internal sealed class RunRecorder : IDisposable
{
    private readonly RunStore _store;
    private readonly bool _ownsStore;
    private bool _finished;

    private RunRecorder(RunStore store, long id, bool ownsStore) { _store = store; Id = id; _ownsStore = ownsStore; }

    /// <summary>The run's id in the store.</summary>
    public long Id { get; }

    /// <summary>The store the run is recorded in.</summary>
    public StoreUrl StoreUrl => _store.Url;

    /// <summary>Starts a run in a store someone else opened (and disposes).</summary>
    public static RunRecorder Start(RunStore store, RunStart start) => new(store, store.StartRun(start), ownsStore: false);

    /// <summary>Opens the store at <paramref name="url"/> and starts a run in it; null when there is no store to record in.</summary>
    public static RunRecorder? Open(StoreUrl? url, RunStart start)
    {
        if (url is null) return null;
        var store = RunStore.Open(url);
        try { return new RunRecorder(store, store.StartRun(start), ownsStore: true); }
        catch { store.Dispose(); throw; }
    }

    /// <summary>The configuration a store records for a classifier run: the checkpoint metadata plus threads.</summary>
    public static Dictionary<string, string> Config(IReadOnlyDictionary<string, string> described, int threads, int epochs)
    {
        var d = new Dictionary<string, string>(described)
        {
            ["threads"] = threads.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
        };
        return d;
    }

    public static Dictionary<string, double> Metrics(EpochResult r) => new()
    {
        ["epoch"] = r.Epoch, ["train_loss"] = r.TrainLoss, ["train_accuracy"] = r.TrainAccuracy,
        ["test_loss"] = r.TestLoss, ["test_accuracy"] = r.TestAccuracy, ["seconds"] = r.Seconds,
    };

    public void Epoch(EpochResult r) => Step(r.Epoch, Metrics(r));

    /// <summary>Records (or replaces) the metrics of epoch or step <paramref name="step"/>.</summary>
    public void Step(int step, IReadOnlyDictionary<string, double> metrics) => _store.RecordEpoch(Id, step, metrics);

    /// <summary>Final metrics are the last epoch's; a diverged run is stored as diverged, never as completed.</summary>
    public void Finish(IReadOnlyList<EpochResult> history, string? checkpoint, IReadOnlyDictionary<string, double>? extra = null)
    {
        var final = history.Count == 0 ? new Dictionary<string, double>() : Metrics(history[^1]);
        if (extra is not null) foreach (var (k, v) in extra) final[k] = v;
        Finish(history.Count > 0 && history[^1].Diverged ? RunStatus.Diverged : RunStatus.Completed, final, checkpoint);
    }

    /// <summary>Marks the run finished with <paramref name="status"/> and its final metrics.</summary>
    public void Finish(string status, IReadOnlyDictionary<string, double> final, string? checkpoint)
    {
        _store.FinishRun(Id, status, final, checkpoint);
        _finished = true;
    }

    /// <summary>Marks the run failed unless it already finished (called from a catch on the way out).</summary>
    public void Fail()
    {
        if (_finished) return;
        _store.FinishRun(Id, RunStatus.Failed, new Dictionary<string, double>(), null);
        _finished = true;
    }

    /// <summary>Closes the store if this recorder opened it (<see cref="Open"/>).</summary>
    public void Dispose()
    {
        if (_ownsStore) _store.Dispose();
    }
}
