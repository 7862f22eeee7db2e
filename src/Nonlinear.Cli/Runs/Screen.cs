using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// Draws tables to the current <see cref="Console.Out"/> (AnsiConsole keeps the writer it found at start-up, so output
/// redirected later — a test harness, a caller capturing it — would miss them), as wide as AnsiConsole's profile.
/// </summary>
internal static class Screen
{
    public static void Write(IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = AnsiConsole.Profile.Width;
        console.Write(renderable);
    }
}
