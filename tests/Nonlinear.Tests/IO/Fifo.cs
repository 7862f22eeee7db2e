using System.Diagnostics;

namespace Nonlinear.Tests.IO;

/// <summary>Creates named pipes for tests of readers that must refuse them (.NET has no mkfifo).</summary>
internal static class Fifo
{
    public static void Make(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} exited with {p.ExitCode}.");
    }
}
