using Nonlinear.Cli.Runs;
using Nonlinear.Store;

namespace Nonlinear.Cli.Compare;

/// <summary>
/// The store a comparison runs its study in: the one the user named (or NONLINEAR_STORE, or nonlinear-runs.sqlite in
/// --out), or, with `--store none` and for `demo`, a temporary SQLite file that is deleted afterwards (a comparison is a
/// local sweep and needs a store to claim its trials from, even when nothing is to be kept).
/// </summary>
internal sealed class ComparisonStore : IDisposable
{
    private readonly string? _temporary;

    private ComparisonStore(RunStore store, string checkpoints, string? temporary) { Store = store; Checkpoints = checkpoints; _temporary = temporary; }

    /// <summary>The open store.</summary>
    public RunStore Store { get; }

    /// <summary>Where trial checkpoints go: beside a SQLite store (as `sweep work` puts them), in --out for PostgreSQL.</summary>
    public string Checkpoints { get; }

    /// <summary>True when the store is deleted on <see cref="Dispose"/> (nothing is recorded for the user).</summary>
    public bool IsTemporary => _temporary is not null;

    /// <summary>Opens <paramref name="url"/>, or a temporary store when it is null.</summary>
    public static ComparisonStore Open(StoreUrl? url, string output)
    {
        if (url is not null)
            return new ComparisonStore(RunStore.Open(url), StoreOption.DefaultCheckpoints(url) ?? Path.Combine(output, "checkpoints"), null);
        string dir = Path.Combine(Path.GetTempPath(), $"nonlinear-compare-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try { return new ComparisonStore(RunStore.Open(StoreUrl.Parse(Path.Combine(dir, "runs.sqlite"))), Path.Combine(dir, "checkpoints"), dir); }
        catch { Directory.Delete(dir, recursive: true); throw; }
    }

    /// <summary>A study name no earlier comparison in the store has: compare-UTC time-random suffix.</summary>
    public static string NewStudyName() => $"compare-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>Closes the store; a temporary one is deleted with its checkpoints.</summary>
    public void Dispose()
    {
        Store.Dispose();
        if (_temporary is null) return;
        // Pooled SQLite connections keep the file open; release them so the folder can go (on any OS).
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_temporary, recursive: true); }
        catch (IOException) { /* a leftover temp folder is not worth failing a finished comparison */ }
        catch (UnauthorizedAccessException) { }
    }
}
