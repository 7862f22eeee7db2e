using System.Data.Common;
using System.Globalization;

namespace Nonlinear.Store;

/// <summary>
/// Runs, their per-epoch metrics and sweeps, in SQLite (default) or PostgreSQL. Many processes on many machines may
/// write one store at once: every write is one short transaction, SQLite runs in WAL mode with a busy timeout, and
/// trial claims are atomic (see <see cref="Claim"/>). One instance holds one connection: use it from one thread
/// (a worker's heartbeat opens its own).
/// </summary>
public sealed partial class RunStore : IDisposable
{
    private readonly DbConnection _c;
    private readonly SqlDialect _d;

    private RunStore(StoreUrl url, DbConnection c, SqlDialect d) { Url = url; _c = c; _d = d; }

    /// <summary>Where the store is (password hidden in ToString).</summary>
    public StoreUrl Url { get; }

    /// <summary>
    /// Opens (creating and migrating if needed) the store at <paramref name="url"/>; with <paramref name="readOnly"/>
    /// (the dashboard) it neither creates nor migrates: the store must exist with a schema this build reads.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a Nonlinear store or has a newer schema.</exception>
    /// <exception cref="InvalidInputException">The database cannot be reached with this URL, or (read-only) there is no store there.</exception>
    public static RunStore Open(StoreUrl url, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        var d = SqlDialect.For(url.Provider);
        string cs = url.ConnectionString;
        if (readOnly && url.Provider == StoreProvider.Sqlite)
        {
            var b = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs) { Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly };
            if (!File.Exists(b.DataSource)) throw new InvalidInputException($"--store: no store at {url} (expected an existing SQLite file).");
            cs = b.ToString();
        }
        DbConnection c;
        try { c = d.Open(cs, readOnly); }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 26)   // SQLITE_NOTADB
        {
            throw new InvalidDataException($"store {url}: the file is not a SQLite database.", e);
        }
        catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidInputException($"--store {url}: cannot open the store: {e.Message}", e);
        }
        try
        {
            if (readOnly) Schema.Check(c, url.Display);
            else Schema.Migrate(c, d, url.Display);
        }
        catch (DbException e)
        {
            c.Dispose();
            throw new InvalidDataException($"store {url}: not a usable Nonlinear store: {e.Message}", e);
        }
        catch { c.Dispose(); throw; }
        return new RunStore(url, c, d);
    }

    /// <summary>A second connection to the same store (for a heartbeat thread).</summary>
    public RunStore Reopen() => Open(Url);

    /// <summary>The schema version of this store.</summary>
    public int SchemaVersion => Convert.ToInt32(Sql.Scalar(_c, null, "SELECT MAX(version) FROM schema_version"), CultureInfo.InvariantCulture);

    /// <summary>Records a run as running; returns its id.</summary>
    public long StartRun(RunStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var cfg = start.Config;
        string? Get(string k) => cfg.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        ulong? seed = ulong.TryParse(Get("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
        var env = start.Environment ?? RunEnvironment.Capture(Environment.ProcessorCount);
        if (start.Tags.FirstOrDefault(t => t.Length == 0 || t.Contains(',')) is string bad)
            throw new InvalidInputException($"tags: expected non-empty tags without commas; got '{bad}'.");
        return Convert.ToInt64(Sql.Scalar(_c, null,
            $"""
            INSERT INTO runs (kind, status, name, started_ms, data, model, activation, seed, tags, config_json, environment_json, checkpoint, study_id, trial_id)
            VALUES (@kind, @status, @name, {_d.NowMs}, @data, @model, @act, @seed, @tags, @cfg, @env, @ckpt, @study, @trial) RETURNING id
            """,
            ("@kind", start.Kind), ("@status", RunStatus.Running), ("@name", start.Name), ("@data", Get("data")), ("@model", Get("model")),
            ("@act", Get("activation")), ("@seed", seed is null ? null : (long)seed.Value), ("@tags", start.Tags.Count == 0 ? null : "," + string.Join(",", start.Tags) + ","),
            ("@cfg", StoreJson.Write(cfg)), ("@env", StoreJson.Write(env)), ("@ckpt", start.Checkpoint), ("@study", start.StudyId), ("@trial", start.TrialId)),
            CultureInfo.InvariantCulture);
    }

    /// <summary>Records (or replaces, when a resumed run repeats it) one epoch's metrics.</summary>
    public void RecordEpoch(long runId, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        double? M(string k) => metrics.TryGetValue(k, out var v) && double.IsFinite(v) ? v : null;
        Sql.Execute(_c, null,
            """
            INSERT INTO epochs (run_id, epoch, metrics_json, train_loss, train_accuracy, test_loss, test_accuracy, seconds)
            VALUES (@run, @epoch, @m, @tl, @ta, @vl, @va, @s)
            ON CONFLICT (run_id, epoch) DO UPDATE SET metrics_json = excluded.metrics_json, train_loss = excluded.train_loss,
              train_accuracy = excluded.train_accuracy, test_loss = excluded.test_loss, test_accuracy = excluded.test_accuracy, seconds = excluded.seconds
            """,
            ("@run", runId), ("@epoch", epoch), ("@m", StoreJson.Write(metrics)), ("@tl", M("train_loss")), ("@ta", M("train_accuracy")),
            ("@vl", M("test_loss")), ("@va", M("test_accuracy")), ("@s", M("seconds")));
    }

    /// <summary>Marks a run finished with its status and final metrics.</summary>
    public void FinishRun(long runId, string status, IReadOnlyDictionary<string, double> final, string? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(final);
        Sql.Execute(_c, null, $"UPDATE runs SET status = @s, finished_ms = {_d.NowMs}, final_json = @f, checkpoint = COALESCE(@c, checkpoint) WHERE id = @id",
            ("@s", status), ("@f", StoreJson.Write(final)), ("@c", checkpoint), ("@id", runId));
    }

    /// <summary>The runs that match <paramref name="filter"/>, newest first.</summary>
    public IReadOnlyList<StoredRun> ListRuns(RunFilter? filter = null)
    {
        filter ??= new RunFilter();
        var where = new List<string>();
        var args = new List<(string, object?)>();
        void Eq(string column, string name, object? value)
        {
            if (value is null) return;
            where.Add($"{column} = {name}");
            args.Add((name, value));
        }
        Eq("status", "@status", filter.Status);
        Eq("kind", "@kind", filter.Kind);
        Eq("activation", "@act", filter.Activation);
        Eq("model", "@model", filter.Model);
        Eq("data", "@data", filter.Data);
        Eq("study_id", "@study", filter.StudyId);
        if (filter.Tag is not null)
        {
            if (filter.Tag.Contains(',')) throw new InvalidInputException($"--tag: expected one tag without commas; got '{filter.Tag}'.");
            where.Add("tags LIKE @tag ESCAPE '!'");
            args.Add(("@tag", "%," + filter.Tag.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + ",%"));
        }
        args.Add(("@limit", Math.Clamp(filter.Limit, 1, 1_000_000)));
        string sql = $"SELECT {RunColumns} FROM runs {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY id DESC LIMIT @limit";
        return Sql.Query(_c, null, sql, ReadRun, [.. args]);
    }

    /// <summary>The run with this id, or null.</summary>
    public StoredRun? GetRun(long id) =>
        Sql.Query(_c, null, $"SELECT {RunColumns} FROM runs WHERE id = @id", ReadRun, ("@id", id)).FirstOrDefault();

    /// <summary>A run's epochs in order.</summary>
    public IReadOnlyList<StoredEpoch> Epochs(long runId) =>
        Sql.Query(_c, null, "SELECT run_id, epoch, metrics_json FROM epochs WHERE run_id = @id ORDER BY epoch",
            r => new StoredEpoch(r.GetInt64(0), r.GetInt32(1), StoreJson.Numbers(r.Str(2), $"run {runId} epoch metrics")), ("@id", runId));

    private const string RunColumns = "id, kind, status, name, started_ms, finished_ms, data, model, activation, seed, tags, config_json, environment_json, final_json, checkpoint, study_id, trial_id";

    private static StoredRun ReadRun(DbDataReader r)
    {
        long id = r.GetInt64(0);
        var tags = (r.Str(10) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new StoredRun(id, r.GetString(1), r.GetString(2), r.Str(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            r.Long(5) is long f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null, r.Str(6), r.Str(7), r.Str(8),
            r.Long(9) is long s ? (ulong)s : null, tags,
            StoreJson.Strings(r.Str(11), $"run {id} config"), StoreJson.Strings(r.Str(12), $"run {id} environment"),
            StoreJson.Numbers(r.Str(13), $"run {id} final metrics"), r.Str(14), r.Long(15), r.Long(16));
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _c.Dispose();
}
