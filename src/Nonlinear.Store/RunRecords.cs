namespace Nonlinear.Store;

/// <summary>What a run is, written when it starts.</summary>
/// <param name="Kind">The command that made it: train, compare, fit, lm, sae, sweep-trial.</param>
/// <param name="Config">The full configuration, as the run's checkpoint metadata records it.</param>
public sealed record RunStart(string Kind, IReadOnlyDictionary<string, string> Config)
{
    /// <summary>A short label (a compare row, a study and trial).</summary>
    public string? Name { get; init; }
    /// <summary>Tags to filter by later (comma-separated when listed).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Where the run's checkpoint is written, if anywhere.</summary>
    public string? Checkpoint { get; init; }
    /// <summary>The study and trial this run executes, for sweep trials.</summary>
    public long? StudyId { get; init; }
    /// <summary>See <see cref="StudyId"/>.</summary>
    public long? TrialId { get; init; }
    /// <summary>Version, commit, machine, ISA tier, threads; <see cref="RunEnvironment.Capture"/> by default.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}

/// <summary>The states a run goes through.</summary>
public static class RunStatus
{
    /// <summary>Started and not finished (or its process died: see <see cref="Abandoned"/>).</summary>
    public const string Running = "running";
    /// <summary>Finished normally.</summary>
    public const string Completed = "completed";
    /// <summary>Stopped because the loss stopped being finite.</summary>
    public const string Diverged = "diverged";
    /// <summary>Stopped by an error.</summary>
    public const string Failed = "failed";
    /// <summary>A sweep trial's run whose worker stopped heart-beating; another worker took the trial over.</summary>
    public const string Abandoned = "abandoned";
}

/// <summary>A run as stored.</summary>
public sealed record StoredRun(
    long Id, string Kind, string Status, string? Name, DateTimeOffset Started, DateTimeOffset? Finished,
    string? Data, string? Model, string? Activation, ulong? Seed, IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Config, IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, double> Final, string? Checkpoint, long? StudyId, long? TrialId);

/// <summary>One epoch (or evaluation step) of a run: named metrics.</summary>
public sealed record StoredEpoch(long RunId, int Epoch, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Which runs to list; null fields match everything.</summary>
public sealed record RunFilter
{
    /// <summary>Exact status.</summary>
    public string? Status { get; init; }
    /// <summary>Exact kind (train, compare, …).</summary>
    public string? Kind { get; init; }
    /// <summary>Activation spec as stored (e.g. "gelu", "elu(alpha=0.5)").</summary>
    public string? Activation { get; init; }
    /// <summary>Model spec as stored.</summary>
    public string? Model { get; init; }
    /// <summary>Data set name.</summary>
    public string? Data { get; init; }
    /// <summary>A tag the run carries.</summary>
    public string? Tag { get; init; }
    /// <summary>Runs of this study only.</summary>
    public long? StudyId { get; init; }
    /// <summary>At most this many, newest first.</summary>
    public int Limit { get; init; } = 1000;
}
