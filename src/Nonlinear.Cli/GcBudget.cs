using System.Runtime.InteropServices;

namespace Nonlinear.Cli;

/// <summary>
/// Starts the commands that train several models at once as threads of one process (`sweep work --workers N` and
/// `compare --workers N`, N &gt; 1) with a 128 MiB gen0 allocation budget instead of the runtime's cache-sized one
/// (about 18 MB here).
/// </summary>
/// <remarks>
/// Why: training allocates about 15 MB per digits epoch, so the default budget means a gen0 collection every epoch
/// or so, and worker threads of one process share one collector: every collection stops all of them, and a worker
/// thread that the OS has not scheduled (3 workers on 2 cores) holds the others stopped until it reaches a safe point.
/// `sweep work --workers 3` on the 24-trial digits study spent 5.2 s of 64 s in GC pauses with 372 collections, and
/// 1.1 s with 52 at 128 MiB (loaded machine; BENCHMARKS.md). One worker is left alone: a single Fashion-MNIST
/// `compare` epoch used 8 % more CPU with the large budget (fresh pages instead of cache-warm ones, and the second
/// start-up). How: the budget can only be given as the environment variable DOTNET_GCgen0size (the runtime reads no
/// runtimeconfig.json property for it: tried), so the process sets it and replaces itself by the same command with
/// execv — the same process id (a `kill -9` of a worker still kills that worker) and no child to forward signals to.
/// Not done when the variable is already set (the user's value wins; 0 restores the default), on Windows, or when
/// the command line cannot be rebuilt; the command then runs with the default budget.
/// </remarks>
internal static partial class GcBudget
{
    public const string Variable = "DOTNET_GCgen0size";
    public const string Budget = "0x8000000";

    /// <summary>The commands that train several models at once in this process: `sweep work` and `compare` with --workers above 1.</summary>
    public static bool Wants(IReadOnlyList<string> args) => args is ["sweep", "work", ..] or ["compare", ..] && Workers(args) > 1;

    // --workers N, --workers=N or --workers:N (System.CommandLine's forms); the last one given counts, as in the parser.
    // A value that does not parse is left to the parser's one-line error.
    private static int Workers(IReadOnlyList<string> args)
    {
        int workers = 1;
        for (int i = 0; i < args.Count; i++)
        {
            string? value = args[i] == "--workers" && i + 1 < args.Count ? args[i + 1]
                : args[i].StartsWith("--workers=", StringComparison.Ordinal) || args[i].StartsWith("--workers:", StringComparison.Ordinal) ? args[i]["--workers=".Length..]
                : null;
            if (value is not null && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)) workers = n;
        }
        return workers;
    }

    /// <summary>Replaces this process by itself with the budget set; returns only when it did not.</summary>
    public static void Apply(string[] args)
    {
        if (!Wants(args) || Environment.GetEnvironmentVariable(Variable) is not null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        if (Environment.ProcessPath is not { } exe) return;
        var argv = new List<string?> { exe };
        // Started as `dotnet Nonlinear.Cli.dll …`: the host needs the assembly again (a single-file app has no path: stay).
        if (Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            string dll = typeof(GcBudget).Assembly.Location;
            if (dll.Length == 0) return;
            argv.Add(dll);
        }
        argv.AddRange(args);
        argv.Add(null);
        // Environment.SetEnvironmentVariable changes only .NET's copy on Unix; execv passes the C environment.
        if (SetEnv(Variable, Budget, 1) != 0) return;
        ExecV(exe, [.. argv]);
        UnsetEnv(Variable);   // execv failed (and returned): run here with the default budget, children too
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "unsetenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int UnsetEnv(string name);

    [DllImport("libc", EntryPoint = "execv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int ExecV(string path, string?[] argv);
}
