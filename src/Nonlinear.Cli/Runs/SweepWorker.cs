using System.Globalization;
using Nonlinear.Cli.Commands;
using Nonlinear.Cli.Compare;
using Nonlinear.Kernels;
using Nonlinear.Store;
using Nonlinear.Training;

namespace Nonlinear.Cli.Runs;

/// <summary>How a worker behaves.</summary>
/// <param name="Lease">A trial whose worker has not heart-beaten for this long is presumed dead and re-claimed.</param>
/// <param name="HeartbeatEvery">How often a working worker renews its lease (well below <paramref name="Lease"/>).</param>
/// <param name="CheckpointDir">Where trial checkpoints go: a folder every worker can read (shared storage across machines).</param>
/// <param name="Threads">Kernel threads of the worker's trainings.</param>
/// <param name="MaxTrials">Stop after this many trials.</param>
/// <param name="WaitForOthers">When nothing is claimable but trials are still running elsewhere, wait (their lease may expire) instead of exiting.</param>
/// <param name="StudyId">Claim only trials of this study (null: any study in the store).</param>
internal sealed record WorkerOptions(TimeSpan Lease, TimeSpan HeartbeatEvery, string CheckpointDir, int Threads, int MaxTrials, bool WaitForOthers, long? StudyId)
{
    /// <summary>Least time between two checkpoints of a trial: a dead worker's successor repeats at most this much work, and short epochs do not spend their time writing files.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often an idle worker looks again while other workers finish the last trials (capped at half the lease). It
    /// was 2 s: at the end of a study every idle worker then slept up to 2 s past the last completion, which on a
    /// 10-second study was a tenth of the wall time. A poll is one read (<see cref="RunStore.TrialCounts"/>).
    /// </summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The kind its runs are recorded as: "sweep-trial", or "compare" for the trials of a comparison.</summary>
    public string RunKind { get; init; } = "sweep-trial";

    /// <summary>A run's name in the store (default "trial I of study S").</summary>
    public Func<Trial, string>? RunName { get; init; }

    /// <summary>Data sets shared by the trials (and the worker threads) of this process.</summary>
    public TrialData Data { get; init; } = new();

    /// <summary>Where trial warnings go: one sink per command prints each distinct warning once, however many trials raise it.</summary>
    public WarningSink Warnings { get; init; } = new();

    /// <summary>Shows each trial's training and outcome (compare's progress bar and run lines), or null.</summary>
    public ITrialView? View { get; init; }
}

/// <summary>How a command shows the trials its workers run (`compare`: one progress bar, one line per finished run).</summary>
internal interface ITrialView
{
    /// <summary>Runs <paramref name="fit"/> (a trial's training of <paramref name="steps"/> batches) under the view.</summary>
    IReadOnlyList<EpochResult> Train(string title, int steps, Func<ITrainingObserver?, IReadOnlyList<EpochResult>> fit);

    /// <summary>A trial finished (completed or diverged) with this result; called on the worker's thread.</summary>
    void Finished(Trial trial, RunRecord record);
}

/// <summary>
/// `sweep work`: claim a trial, train it (resuming from its checkpoint when an earlier worker died), record the run,
/// complete the trial; repeat until the study is done. Training is deterministic for a seed and thread count and a
/// resumed run continues bit for bit, so a trial's result does not depend on which worker ran it or how often it was
/// interrupted.
/// </summary>
internal sealed class SweepWorker(RunStore store, WorkerOptions options, Action<string> log)
{
    /// <summary>This worker's name in the store: host, process and a random suffix (pids repeat across machines).</summary>
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Runs trials until none is left; returns how many this worker completed.</summary>
    public int Run(CancellationToken cancel = default)
    {
        int done = 0;
        Parallelism.MaxThreads = options.Threads;
        var poll = TimeSpan.FromMilliseconds(Math.Min(options.Poll.TotalMilliseconds, options.Lease.TotalMilliseconds / 2));
        try
        {
            while (done < options.MaxTrials && !cancel.IsCancellationRequested)
            {
                var trial = store.Claim(Id, options.Lease, options.StudyId);
                if (trial is null)
                {
                    if (!options.WaitForOthers) break;
                    // Only reads while waiting: a claim takes SQLite's write lock, which the busy workers need for their heartbeats.
                    var (claimable, unfinished) = store.TrialCounts(options.Lease, options.StudyId);
                    while (claimable == 0 && unfinished > 0 && !cancel.IsCancellationRequested)
                    {
                        Thread.Sleep(poll);
                        (claimable, unfinished) = store.TrialCounts(options.Lease, options.StudyId);
                    }
                    if (unfinished == 0) break;
                    continue;
                }
                if (RunTrial(trial)) done++;
            }
        }
        finally { _beats?.Dispose(); }
        return done;
    }

    // The heartbeat's own connection, opened once per worker rather than once per trial (each open checks the schema).
    private RunStore? _beats;

    private bool RunTrial(Trial trial)
    {
        string label = $"trial {trial.Index} of study {trial.StudyId}";
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        log($"{Id}: {label} (attempt {trial.Attempts}): {Describe(trial.Config)}");
        RunSettings settings;
        try { settings = SweepTrials.ToSettings(trial.Config, options.Threads) with { Warnings = options.Warnings }; }
        catch (Exception e) when (UserError.IsUserError(e))
        {
            store.FailTrial(trial.Id, Id, UserError.Describe(e));
            log($"{Id}: {label} failed: {UserError.Describe(e)}");
            return false;
        }
        string checkpoint = trial.Checkpoint ?? Path.Combine(options.CheckpointDir, $"study-{trial.StudyId}-trial-{trial.Index}.safetensors");
        store.SetTrialCheckpoint(trial.Id, Id, checkpoint);

        var (train, test) = options.Data.Get(settings);
        var trainer = settings.BuildTrainer(train);
        var described = settings.Describe();
        if (File.Exists(checkpoint))
        {
            var (model, optim, meta) = Checkpoint.Load(checkpoint);
            Checkpoint.Restore(trainer, model, optim, meta, checkpoint);
            log($"{Id}: {label} resumes after epoch {trainer.EpochsDone} from {checkpoint}");
        }
        var config = RunRecorder.Config(described, options.Threads, settings.Options.Epochs);
        var recorder = RunRecorder.Start(store, new RunStart(options.RunKind, config)
        {
            Name = options.RunName?.Invoke(trial) ?? label, Checkpoint = checkpoint, StudyId = trial.StudyId, TrialId = trial.Id,
            Environment = RunEnvironment.Capture(options.Threads),
        });
        _beats ??= store.Reopen();
        using var heartbeat = new Heartbeat(_beats, trial.Id, Id, options.HeartbeatEvery);
        long lastSave = System.Diagnostics.Stopwatch.GetTimestamp();
        IReadOnlyList<EpochResult> Fit(ITrainingObserver? observer) => trainer.Fit(train, test, observer, t =>
        {
            recorder.Epoch(t.History[^1]);
            if (heartbeat.Lost) throw new LeaseLostException();
            // The last epoch is not saved: the trial completes right after it (a worker dying in between repeats it).
            if (t.History[^1].Diverged || t.EpochsDone >= t.Options.Epochs || System.Diagnostics.Stopwatch.GetElapsedTime(lastSave) < options.CheckpointEvery) return;
            // Created here, not per trial: most trials of a short study never write a checkpoint.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!);
            Checkpoint.Save(checkpoint, t, described);
            lastSave = System.Diagnostics.Stopwatch.GetTimestamp();
        });
        try
        {
            int steps = (settings.Options.Epochs - trainer.EpochsDone) * settings.BatchesPerEpoch(train);
            if (options.View is { } view) view.Train(options.RunName?.Invoke(trial) ?? label, steps, Fit);
            else Fit(null);
        }
        catch (LeaseLostException)
        {
            log($"{Id}: {label}: the lease was lost (another worker took the trial over); stopping it here");
            return false;
        }
        catch { recorder.Fail(); throw; }
        var history = trainer.History;
        double? dead = history.Count > 0 && history[^1].Diverged ? null : DeadUnits.Fraction(trainer.Model, test);
        var extra = new Dictionary<string, double> { ["parameters"] = trainer.Model.ParameterCount };
        if (dead is double d) extra["dead_fraction"] = d;
        var last = trainer.EpochsDone;
        recorder.Finish(history, checkpoint, extra);
        var result = history.Count > 0 ? RunRecorder.Metrics(history[^1]) : new Dictionary<string, double>();
        foreach (var (k, v) in extra) result[k] = v;
        result["epoch"] = last;
        result.Remove("seconds");   // wall time differs between workers; the result must not
        bool completed = store.CompleteTrial(trial.Id, Id, recorder.Id, result);
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        log(completed ? $"{Id}: {label} completed in {seconds:0.00} s: test accuracy {result.GetValueOrDefault("test_accuracy").ToString("P2", CultureInfo.InvariantCulture)}"
                      : $"{Id}: {label} finished but another worker owns it now; its result is theirs");
        if (completed) options.View?.Finished(trial, SweepReport.Record(trial, [.. history], dead, trainer.Model.ParameterCount));
        return completed;
    }

    private static string Describe(IReadOnlyDictionary<string, string> c) =>
        $"{c.GetValueOrDefault("data")} {c.GetValueOrDefault("model")} {c.GetValueOrDefault("activation")} seed {c.GetValueOrDefault("seed")}";

    private sealed class LeaseLostException : Exception;

    /// <summary>Renews the lease from a timer on its own connection (the trainer's thread is busy).</summary>
    private sealed class Heartbeat : IDisposable
    {
        private readonly RunStore _store;
        private readonly Timer _timer;
        private volatile bool _lost;
        private readonly object _gate = new();

        public Heartbeat(RunStore store, long trial, string worker, TimeSpan every)
        {
            _store = store;
            _timer = new Timer(_ =>
            {
                lock (_gate)
                {
                    try { if (!_store.Heartbeat(trial, worker)) _lost = true; }
                    catch (System.Data.Common.DbException) { /* a missed beat; the next one retries, the lease covers several */ }
                }
            }, null, every, every);
        }

        public bool Lost => _lost;

        public void Dispose()
        {
            using var done = new ManualResetEvent(false);
            _timer.Dispose(done);
            done.WaitOne();
            // The timer has stopped: no beat is in flight on the shared connection when the next trial starts one.
        }
    }
}
