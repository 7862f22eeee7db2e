using System.Globalization;
using Nonlinear.Store;
using Nonlinear.Training;

namespace Nonlinear.Cli.Runs;

/// <summary>Writes one run into a store as it goes: started, each epoch, finished (or failed).</summary>
internal sealed class RunRecorder
{
    private readonly RunStore _store;
    private bool _finished;

    private RunRecorder(RunStore store, long id) { _store = store; Id = id; }

    /// <summary>The run's id in the store.</summary>
    public long Id { get; }

    public static RunRecorder Start(RunStore store, RunStart start) => new(store, store.StartRun(start));

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

    public void Epoch(EpochResult r) => _store.RecordEpoch(Id, r.Epoch, Metrics(r));

    /// <summary>Final metrics are the last epoch's; a diverged run is stored as diverged, never as completed.</summary>
    public void Finish(IReadOnlyList<EpochResult> history, string? checkpoint, IReadOnlyDictionary<string, double>? extra = null)
    {
        var final = history.Count == 0 ? new Dictionary<string, double>() : Metrics(history[^1]);
        if (extra is not null) foreach (var (k, v) in extra) final[k] = v;
        _store.FinishRun(Id, history.Count > 0 && history[^1].Diverged ? RunStatus.Diverged : RunStatus.Completed, final, checkpoint);
        _finished = true;
    }

    /// <summary>Marks the run failed unless it already finished (called from a catch on the way out).</summary>
    public void Fail()
    {
        if (_finished) return;
        _store.FinishRun(Id, RunStatus.Failed, new Dictionary<string, double>(), null);
        _finished = true;
    }
}
