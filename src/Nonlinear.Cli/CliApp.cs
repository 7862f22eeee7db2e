using System.CommandLine;
using Nonlinear.Cli.Commands;

namespace Nonlinear.Cli;

/// <summary>
/// The `nonlinear` command. User mistakes (bad arguments, missing or malformed files, NaN in data) end in
/// one line on stderr and exit code 2; only a bug in Nonlinear itself prints a stack trace.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        // Redirected output gets a wide virtual console so tables are not wrapped at 80 columns.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 200;
        var root = new RootCommand("Nonlinear: build, train and compare neural networks through their nonlinearities.");
        root.Subcommands.Add(ActivationsCommand.Create());
        foreach (var c in CommandRegistry.Extra()) root.Subcommands.Add(c);

        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"nonlinear: error: {e.Message}");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserError.IsUserError(e))
        {
            Console.Error.WriteLine($"nonlinear: error: {UserError.Describe(e)}");
            return 2;
        }
    }
}
