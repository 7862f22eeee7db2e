using System.Diagnostics;
using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>
/// The services the store's integration tests use. `.ci/run` installs and starts them (.ci/services/*.sh) and sets
/// NONLINEAR_TEST_POSTGRES; where they cannot start, the tests are skipped with this class's message, never passed.
/// </summary>
public static class StoreServices
{
    public const string PostgresVariable = "NONLINEAR_TEST_POSTGRES";

    private static readonly Lazy<string?> PostgresProblem = new(() =>
    {
        string? url = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(url)) return $"{PostgresVariable} is not set (.ci/run sets it after starting PostgreSQL with .ci/services/postgres.sh)";
        try { using var s = RunStore.Open(StoreUrl.Parse(url)); return null; }
        catch (Exception e) { return $"PostgreSQL at {StoreUrl.Parse(url)} cannot be opened: {e.Message}"; }
    });

    private static readonly Lazy<string?> SlurmProblem = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("sinfo", "-h -o %t") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string state = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && (state.StartsWith("idle", StringComparison.Ordinal) || state.StartsWith("mix", StringComparison.Ordinal))
                ? null : $"Slurm has no idle node (sinfo: '{state}'; .ci/run starts one with .ci/services/slurm.sh)";
        }
        catch (System.ComponentModel.Win32Exception) { return "Slurm is not installed (sinfo not found; apt-get install slurm-wlm munge)"; }
    });

    public static string? Postgres => PostgresProblem.Value;
    public static string? Slurm => SlurmProblem.Value;
    public static string PostgresUrl => Environment.GetEnvironmentVariable(PostgresVariable)!;
}

/// <summary>Runs only with a reachable PostgreSQL (see <see cref="StoreServices"/>).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() { if (StoreServices.Postgres is string why) Skip = why; }
}

/// <summary>Runs only with PostgreSQL and a single-node Slurm (see <see cref="StoreServices"/>).</summary>
public sealed class SlurmPostgresFactAttribute : FactAttribute
{
    public SlurmPostgresFactAttribute()
    {
        if (StoreServices.Postgres is string why) Skip = why;
        else if (StoreServices.Slurm is string slurm) Skip = slurm;
    }
}
