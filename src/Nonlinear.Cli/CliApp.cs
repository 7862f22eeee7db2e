namespace Nonlinear.Cli;

/// <summary>Entry point of the `nonlinear` command; the commands are wired in by the CLI work.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("nonlinear: no commands are wired in yet.");
        return 2;
    }
}
