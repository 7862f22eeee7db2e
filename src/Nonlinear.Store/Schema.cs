using System.Data.Common;

namespace Nonlinear.Store;

/// <summary>
/// The store's tables as ordered migrations. A store records the version it was brought to; opening it applies the
/// missing steps in one transaction (so two workers opening a fresh store at once migrate it once), and refuses a
/// store written by a newer Nonlinear instead of guessing at its tables. Add a step; never edit a shipped one.
/// </summary>
internal static class Schema
{
    /// <summary>Each step's statements; {id} is the dialect's auto-numbered key.</summary>
    private static readonly string[][] Steps =
    [
        [
            """
            CREATE TABLE runs (
              id {id}, kind TEXT NOT NULL, status TEXT NOT NULL, name TEXT,
              started_ms BIGINT NOT NULL, finished_ms BIGINT,
              data TEXT, model TEXT, activation TEXT, seed BIGINT, tags TEXT,
              config_json TEXT NOT NULL, environment_json TEXT NOT NULL, final_json TEXT, checkpoint TEXT,
              study_id BIGINT, trial_id BIGINT)
            """,
            "CREATE INDEX runs_by_status ON runs (status)",
            """
            CREATE TABLE epochs (
              run_id BIGINT NOT NULL, epoch INTEGER NOT NULL, metrics_json TEXT NOT NULL,
              train_loss DOUBLE PRECISION, train_accuracy DOUBLE PRECISION, test_loss DOUBLE PRECISION,
              test_accuracy DOUBLE PRECISION, seconds DOUBLE PRECISION,
              PRIMARY KEY (run_id, epoch))
            """,
            "CREATE TABLE studies (id {id}, name TEXT NOT NULL UNIQUE, created_ms BIGINT NOT NULL, config_json TEXT NOT NULL)",
            """
            CREATE TABLE trials (
              id {id}, study_id BIGINT NOT NULL, idx INTEGER NOT NULL, config_json TEXT NOT NULL,
              status TEXT NOT NULL, worker TEXT, claimed_ms BIGINT, heartbeat_ms BIGINT, attempts INTEGER NOT NULL DEFAULT 0,
              completions INTEGER NOT NULL DEFAULT 0, run_id BIGINT, result_json TEXT, checkpoint TEXT, error TEXT,
              UNIQUE (study_id, idx))
            """,
            "CREATE INDEX trials_by_status ON trials (study_id, status)",
        ],
    ];

    /// <summary>The version this build writes.</summary>
    public static int Latest => Steps.Length;

    /// <summary>For read-only use: the store must already have a schema this build reads.</summary>
    public static void Check(DbConnection c, string display)
    {
        object? current;
        try { current = Sql.Scalar(c, null, "SELECT MAX(version) FROM schema_version"); }
        catch (DbException e) { throw new InvalidDataException($"store {display}: not a Nonlinear store (no schema_version table).", e); }
        int version = current is null ? 0 : Convert.ToInt32(current, System.Globalization.CultureInfo.InvariantCulture);
        if (version < 1) throw new InvalidDataException($"store {display}: not a Nonlinear store (empty schema_version).");
        if (version > Latest)
            throw new InvalidDataException($"store {display} has schema version {version}; this Nonlinear reads versions up to {Latest} (update Nonlinear).");
    }

    public static void Migrate(DbConnection c, SqlDialect d, string display)
    {
        using var t = d.BeginWrite(c);
        d.LockForMigration(c, t);
        Sql.Execute(c, t, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var current = Sql.Scalar(c, t, "SELECT MAX(version) FROM schema_version");
        int version = current is null ? 0 : Convert.ToInt32(current, System.Globalization.CultureInfo.InvariantCulture);
        if (version > Latest)
            throw new InvalidDataException($"store {display} has schema version {version}; this Nonlinear reads versions up to {Latest} (update Nonlinear).");
        for (int v = version; v < Latest; v++)
        {
            foreach (var statement in Steps[v]) Sql.Execute(c, t, statement.Replace("{id}", d.IdColumn, StringComparison.Ordinal));
            Sql.Execute(c, t, "INSERT INTO schema_version (version) VALUES (@v)", ("@v", v + 1));
        }
        t.Commit();
    }
}
