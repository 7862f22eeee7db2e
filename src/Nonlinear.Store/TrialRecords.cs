namespace Nonlinear.Store;

/// <summary>The states of a sweep trial.</summary>
public static class TrialStatus
{
    /// <summary>Not yet claimed.</summary>
    public const string Pending = "pending";
    /// <summary>Claimed by a worker that heart-beats (or did, until its lease expires).</summary>
    public const string Running = "running";
    /// <summary>Done; its result is recorded.</summary>
    public const string Completed = "completed";
    /// <summary>Stopped by an error in its configuration or data (not retried: it would fail again).</summary>
    public const string Failed = "failed";
}

/// <summary>A study: a named set of trials.</summary>
public sealed record Study(long Id, string Name, DateTimeOffset Created, IReadOnlyDictionary<string, string> Config);

/// <summary>A trial as stored.</summary>
/// <param name="Id">Trial id, unique in the store.</param>
/// <param name="StudyId">The study it belongs to.</param>
/// <param name="Index">Its position in the study (0-based, in creation order).</param>
/// <param name="Config">The run's configuration (checkpoint-metadata keys: data, model, activation, seed, epochs, …).</param>
/// <param name="Attempts">How many times a worker claimed it (more than 1 after a worker died).</param>
/// <param name="Completions">How many times it was completed: 1 for a completed trial, never more (the exactly-once check).</param>
/// <param name="Status">pending, running, completed or failed.</param>
/// <param name="Worker">The worker holding or last holding it, or null.</param>
/// <param name="RunId">The run that completed it, or null.</param>
/// <param name="Result">Final metrics of the completed run.</param>
/// <param name="Checkpoint">Its latest checkpoint, from which a successor resumes, or null.</param>
/// <param name="Error">Why it failed, or null.</param>
public sealed record Trial(
    long Id, long StudyId, int Index, IReadOnlyDictionary<string, string> Config, string Status, string? Worker,
    int Attempts, int Completions, long? RunId, IReadOnlyDictionary<string, double> Result, string? Checkpoint, string? Error);
