using Nonlinear.Store;

namespace Nonlinear.Tests.Store;

/// <summary>An empty store per test: a new SQLite file, or a new PostgreSQL database (dropped on dispose).</summary>
public sealed class FreshStore : IDisposable
{
    private readonly string? _database;

    public FreshStore(StoreProvider provider)
    {
        if (provider == StoreProvider.Sqlite)
        {
            Folder = Path.Combine(Path.GetTempPath(), $"nl-store-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Folder);
            Url = StoreUrl.Parse(Path.Combine(Folder, "runs.sqlite"));
            return;
        }
        Folder = Path.Combine(Path.GetTempPath(), $"nl-store-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        _database = $"nl_{Guid.NewGuid():N}";
        Admin($"CREATE DATABASE {_database}");
        var b = new Uri(StoreServices.PostgresUrl);
        Url = StoreUrl.Parse($"{b.Scheme}://{b.UserInfo}@{b.Host}:{b.Port}/{_database}");
    }

    public StoreUrl Url { get; }
    /// <summary>A scratch folder (checkpoints, logs) removed on dispose.</summary>
    public string Folder { get; }
    /// <summary>The URL as a user types it (with the password).</summary>
    public string Text => Url.Provider == StoreProvider.Sqlite ? Url.Display["sqlite:".Length..]
        : $"{new Uri(StoreServices.PostgresUrl).Scheme}://{new Uri(StoreServices.PostgresUrl).UserInfo}@{new Uri(StoreServices.PostgresUrl).Host}:{new Uri(StoreServices.PostgresUrl).Port}/{_database}";

    public RunStore Open() => RunStore.Open(Url);

    private static void Admin(string sql)
    {
        using var c = new Npgsql.NpgsqlConnection(StoreUrl.Parse(StoreServices.PostgresUrl).ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_database is not null) Admin($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
