namespace Nonlinear.Store;

/// <summary>Which database a store lives in.</summary>
public enum StoreProvider
{
    /// <summary>A SQLite file (the default; one machine, many processes).</summary>
    Sqlite,
    /// <summary>A PostgreSQL database (many machines).</summary>
    Postgres,
}

/// <summary>
/// A parsed <c>--store</c> value: <c>PATH</c> or <c>sqlite:PATH</c> for a SQLite file, <c>postgres://USER:PASS@HOST:PORT/DB</c>
/// (or <c>postgresql://</c>) for PostgreSQL. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record StoreUrl(StoreProvider Provider, string ConnectionString, string Display)
{
    /// <summary>Longest URL accepted (a parser bounds what it reads).</summary>
    public const int MaxLength = 4096;

    /// <summary>Parses a store URL; a malformed one throws <see cref="InvalidInputException"/> naming the option.</summary>
    public static StoreUrl Parse(string text, string option = "--store")
    {
        // The path and connection-string APIs refuse some text with a bare ArgumentException (a NUL in a path, a
        // malformed host): that is the user's input, so it is reported as such, naming the option.
        try { return ParseChecked(text, option); }
        catch (Exception e) when (e is ArgumentException and not InvalidInputException or NotSupportedException or PathTooLongException or UriFormatException)
        {
            throw new InvalidInputException($"{option}: expected a SQLite file path or postgres://USER:PASS@HOST/DB; got an invalid value ({e.Message}).", e);
        }
    }

    private static StoreUrl ParseChecked(string text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidInputException($"{option}: expected a SQLite file path or postgres://USER:PASS@HOST/DB; got an empty value.");
        if (text.Length > MaxLength) throw new InvalidInputException($"{option}: expected at most {MaxLength} characters; got {text.Length}.");
        text = text.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return ParsePostgres(text, option);
        string path = text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? text["sqlite:".Length..] : text;
        if (path.Length == 0) throw new InvalidInputException($"{option}: expected a file path after 'sqlite:'; got '{text}'.");
        if (path.Contains("://", StringComparison.Ordinal))
            throw new InvalidInputException($"{option}: expected a SQLite file path or postgres://USER:PASS@HOST/DB; got the unknown scheme in '{text}'.");
        if (Directory.Exists(path)) throw new InvalidInputException($"{option} '{path}' is a folder; expected a SQLite file.");
        var full = Path.GetFullPath(path);
        var cs = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 60 };
        return new StoreUrl(StoreProvider.Sqlite, cs.ToString(), "sqlite:" + full);
    }

    private static StoreUrl ParsePostgres(string text, string option)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new InvalidInputException($"{option}: expected postgres://USER:PASS@HOST[:PORT]/DB; got a malformed URL.");
        string db = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (db.Length == 0 || db.Contains('/')) throw new InvalidInputException($"{option}: expected one database name after the host (postgres://USER:PASS@HOST/DB); got '{uri.AbsolutePath}'.");
        string user = "", password = "";
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var cs = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, Database = db,
            Username = user.Length > 0 ? user : null, Password = password.Length > 0 ? password : null,
            Timeout = 15, CommandTimeout = 60,
        };
        string shown = $"postgres://{(user.Length > 0 ? user + (password.Length > 0 ? ":***" : "") + "@" : "")}{uri.Host}:{cs.Port}/{db}";
        return new StoreUrl(StoreProvider.Postgres, cs.ToString(), shown);
    }

    /// <summary>The URL without its password.</summary>
    public override string ToString() => Display;
}
