using System.CommandLine;
using Nonlinear.Store;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// The --store option of the commands that record runs. Without it, a run that writes outputs is recorded in
/// <see cref="DefaultFileName"/> next to them (SQLite); NONLINEAR_STORE in the environment names a store for every run
/// (a sweep's PostgreSQL, say); `--store none` records nothing.
/// </summary>
internal static class StoreOption
{
    public const string DefaultFileName = "nonlinear-runs.sqlite";
    public const string EnvironmentVariable = "NONLINEAR_STORE";

    public static Option<string?> Create(bool required = false) => new("--store")
    {
        Description = required
            ? "Run store: a SQLite file (PATH or sqlite:PATH) or postgres://USER:PASS@HOST[:PORT]/DB."
            : $"Run store: a SQLite file or postgres://USER:PASS@HOST[:PORT]/DB; default ${EnvironmentVariable}, else {DefaultFileName} next to the outputs; 'none' records nothing.",
        Required = required,
    };

    /// <summary>The store to record in, or null: explicit value, then the environment, then next to <paramref name="outputNextTo"/>.</summary>
    public static StoreUrl? Resolve(string? value, string? outputNextTo)
    {
        if (value is not null)
            return value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? null : StoreUrl.Parse(value);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env) return StoreUrl.Parse(env, EnvironmentVariable);
        if (outputNextTo is null) return null;
        string dir = Path.GetDirectoryName(Path.GetFullPath(outputNextTo)) ?? ".";
        return StoreUrl.Parse(Path.Combine(dir, DefaultFileName));
    }

    /// <summary>The trial checkpoint folder beside a SQLite store (PATH-checkpoints for PATH.sqlite); null for PostgreSQL, which has no folder.</summary>
    public static string? DefaultCheckpoints(StoreUrl url) =>
        url.Provider == StoreProvider.Sqlite ? Path.ChangeExtension(url.Display["sqlite:".Length..], null) + "-checkpoints" : null;

    /// <summary>Opens a store the user asked for; a required value that is missing names the option.</summary>
    public static RunStore Open(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidInputException($"--store: expected a SQLite file or postgres://USER:PASS@HOST/DB; got none (or set {EnvironmentVariable}).");
        return RunStore.Open(StoreUrl.Parse(value));
    }
}
