using System.Data.Common;
using System.Globalization;

namespace Nonlinear.Store;

public sealed partial class RunStore
{
    /// <summary>Writes a study and its trials (all pending) in one transaction; returns the study id.</summary>
    /// <exception cref="InvalidInputException">A study with this name exists.</exception>
    public long CreateStudy(string name, IReadOnlyDictionary<string, string> config, IReadOnlyList<IReadOnlyDictionary<string, string>> trials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(trials);
        using var t = _d.BeginWrite(_c);
        if (Sql.Scalar(_c, t, "SELECT id FROM studies WHERE name = @n", ("@n", name)) is not null)
            throw new InvalidInputException($"--name: a study '{name}' already exists in {Url}; choose another name.");
        long id = Convert.ToInt64(Sql.Scalar(_c, t, $"INSERT INTO studies (name, created_ms, config_json) VALUES (@n, {_d.NowMs}, @c) RETURNING id",
            ("@n", name), ("@c", StoreJson.Write(config))), CultureInfo.InvariantCulture);
        for (int i = 0; i < trials.Count; i++)
            Sql.Execute(_c, t, "INSERT INTO trials (study_id, idx, config_json, status) VALUES (@s, @i, @c, @p)",
                ("@s", id), ("@i", i), ("@c", StoreJson.Write(trials[i])), ("@p", TrialStatus.Pending));
        t.Commit();
        return id;
    }

    /// <summary>The study named <paramref name="name"/>, or null.</summary>
    public Study? FindStudy(string name) =>
        Sql.Query(_c, null, "SELECT id, name, created_ms, config_json FROM studies WHERE name = @n", ReadStudy, ("@n", name)).FirstOrDefault();

    /// <summary>Every study, oldest first.</summary>
    public IReadOnlyList<Study> Studies() => Sql.Query(_c, null, "SELECT id, name, created_ms, config_json FROM studies ORDER BY id", ReadStudy);

    /// <summary>A study's trials in index order.</summary>
    public IReadOnlyList<Trial> Trials(long studyId) =>
        Sql.Query(_c, null, $"SELECT {TrialColumns} FROM trials WHERE study_id = @s ORDER BY idx", ReadTrial, ("@s", studyId));

    /// <summary>
    /// How many trials (of one study, or of all) <see cref="Claim"/> would hand out now, and how many are pending or
    /// running. A read: idle workers poll with it instead of attempting claims, which take SQLite's write lock.
    /// </summary>
    public (int Claimable, int Unfinished) TrialCounts(TimeSpan lease, long? studyId = null)
    {
        var counts = Sql.Query(_c, null,
            $"""
            SELECT COALESCE(SUM(CASE WHEN status = @pending OR (status = @running AND heartbeat_ms < {_d.NowMs} - @lease) THEN 1 ELSE 0 END), 0),
                   COUNT(*)
            FROM trials WHERE (status = @pending OR status = @running){(studyId is null ? "" : " AND study_id = @study")}
            """,
            r => (Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)),
            ("@pending", TrialStatus.Pending), ("@running", TrialStatus.Running), ("@lease", (long)lease.TotalMilliseconds), ("@study", studyId));
        return counts[0];
    }

    /// <summary>
    /// Claims one trial atomically: a pending one, or a running one whose worker has not heart-beaten for
    /// <paramref name="lease"/> (it died; its run is marked abandoned and the trial resumes from its checkpoint).
    /// SQLite takes the write lock first (BEGIN IMMEDIATE), PostgreSQL locks the chosen row and skips rows other
    /// workers are claiming (FOR UPDATE SKIP LOCKED): two workers never get the same trial. Null when none is left.
    /// </summary>
    public Trial? Claim(string worker, TimeSpan lease, long? studyId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        using var t = _d.BeginWrite(_c);
        var id = Sql.Scalar(_c, t,
            $"""
            SELECT id FROM trials
            WHERE (status = @pending OR (status = @running AND heartbeat_ms < {_d.NowMs} - @lease)) {(studyId is null ? "" : "AND study_id = @study")}
            ORDER BY study_id, idx LIMIT 1{_d.ClaimLock}
            """,
            ("@pending", TrialStatus.Pending), ("@running", TrialStatus.Running), ("@lease", (long)lease.TotalMilliseconds), ("@study", studyId));
        if (id is null) { t.Commit(); return null; }
        long trialId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        Sql.Execute(_c, t, $"UPDATE trials SET status = @running, worker = @w, claimed_ms = {_d.NowMs}, heartbeat_ms = {_d.NowMs}, attempts = attempts + 1 WHERE id = @id",
            ("@running", TrialStatus.Running), ("@w", worker), ("@id", trialId));
        Sql.Execute(_c, t, "UPDATE runs SET status = @a WHERE trial_id = @id AND status = @r",
            ("@a", RunStatus.Abandoned), ("@id", trialId), ("@r", RunStatus.Running));
        var trial = Sql.Query(_c, t, $"SELECT {TrialColumns} FROM trials WHERE id = @id", ReadTrial, ("@id", trialId))[0];
        t.Commit();
        return trial;
    }

    /// <summary>Renews the lease; false when the trial is no longer this worker's (it was presumed dead and re-claimed).</summary>
    public bool Heartbeat(long trialId, string worker) =>
        Sql.Execute(_c, null, $"UPDATE trials SET heartbeat_ms = {_d.NowMs} WHERE id = @id AND worker = @w AND status = @r",
            ("@id", trialId), ("@w", worker), ("@r", TrialStatus.Running)) == 1;

    /// <summary>Notes the trial's checkpoint file (where a later worker resumes).</summary>
    public bool SetTrialCheckpoint(long trialId, string worker, string path) =>
        Sql.Execute(_c, null, "UPDATE trials SET checkpoint = @c WHERE id = @id AND worker = @w AND status = @r",
            ("@c", path), ("@id", trialId), ("@w", worker), ("@r", TrialStatus.Running)) == 1;

    /// <summary>
    /// Completes the trial if it is still this worker's; false otherwise (another worker took it over and will complete
    /// it: the result is recorded once).
    /// </summary>
    public bool CompleteTrial(long trialId, string worker, long runId, IReadOnlyDictionary<string, double> result) =>
        Sql.Execute(_c, null,
            $"UPDATE trials SET status = @done, completions = completions + 1, run_id = @run, result_json = @res, heartbeat_ms = {_d.NowMs} WHERE id = @id AND worker = @w AND status = @r",
            ("@done", TrialStatus.Completed), ("@run", runId), ("@res", StoreJson.Write(result)), ("@id", trialId), ("@w", worker), ("@r", TrialStatus.Running)) == 1;

    /// <summary>Marks the trial failed with the error (if it is still this worker's).</summary>
    public bool FailTrial(long trialId, string worker, string error) =>
        Sql.Execute(_c, null, "UPDATE trials SET status = @f, error = @e WHERE id = @id AND worker = @w AND status = @r",
            ("@f", TrialStatus.Failed), ("@e", error), ("@id", trialId), ("@w", worker), ("@r", TrialStatus.Running)) == 1;

    private const string TrialColumns = "id, study_id, idx, config_json, status, worker, attempts, completions, run_id, result_json, checkpoint, error";

    private static Trial ReadTrial(DbDataReader r)
    {
        long id = r.GetInt64(0);
        return new Trial(id, r.GetInt64(1), r.GetInt32(2), StoreJson.Strings(r.Str(3), $"trial {id} config"), r.GetString(4), r.Str(5),
            r.GetInt32(6), r.GetInt32(7), r.Long(8), StoreJson.Numbers(r.Str(9), $"trial {id} result"), r.Str(10), r.Str(11));
    }

    private static Study ReadStudy(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), StoreJson.Strings(r.Str(3), "study config"));
}
