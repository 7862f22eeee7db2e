using System.CommandLine;
using Nonlinear.Cli.Commands;

namespace Nonlinear.Cli;

/// <summary>
/// The `nonlinear` command. User mistakes (bad arguments, missing or corrupt files) end in one line on stderr and
/// exit code 2; a bug in Nonlinear itself prints its stack trace and exits with 70 (see <see cref="UserError"/>).
/// </summary>
public static class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args) => Run(args, []);

    /// <summary>Runs <paramref name="args"/> with <paramref name="extra"/> commands beside the registered ones (tests add one that fails on purpose).</summary>
    internal static int Run(string[] args, IReadOnlyList<Command> extra)
    {
        // Redirected output gets a wide virtual console so tables are not wrapped at 80 columns.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 200;
        var root = new RootCommand("Nonlinear: build, train and compare neural networks through their nonlinearities.");
        root.Subcommands.Add(ActivationsCommand.Create());
        foreach (var c in CommandRegistry.Extra()) root.Subcommands.Add(c);
        foreach (var c in extra) root.Subcommands.Add(c);

        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            // One mistake can yield several parse errors ("Required command was not provided" and "Unrecognized command
            // or argument 'x'"): report one line, preferring the error that quotes what the user typed.
            var error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                        ?? parsed.Errors[0];
            Console.Error.WriteLine($"nonlinear: error: {error.Message.ReplaceLineEndings(" ")} (see nonlinear --help)");
            return UserError.UserExitCode;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserError.IsUserError(e))
        {
            Console.Error.WriteLine($"nonlinear: error: {UserError.Describe(e)}");
            return UserError.UserExitCode;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"nonlinear: internal error (a bug in Nonlinear; please report it with this trace):{Environment.NewLine}{e}");
            return UserError.BugExitCode;
        }
    }
}
