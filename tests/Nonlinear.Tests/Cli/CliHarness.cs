using Nonlinear.Cli;

namespace Nonlinear.Tests.Cli;

/// <summary>Runs the CLI in-process with stdout and stderr captured (tests using it belong to <see cref="ConsoleCollection"/>).</summary>
public static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try { return (CliApp.Run(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    /// <summary>A fresh empty folder under the temp directory.</summary>
    public static string TempDir(string tag)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nl-{tag}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>True when <paramref name="path"/> starts with the PNG signature and an IHDR chunk; returns its size.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        var b = File.ReadAllBytes(path);
        byte[] sig = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (b.Length < 33 || !b.AsSpan(0, 8).SequenceEqual(sig) || System.Text.Encoding.ASCII.GetString(b, 12, 4) != "IHDR")
            throw new Xunit.Sdk.XunitException($"{path} is not a PNG ({b.Length} bytes)");
        int Be(int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
        return (Be(16), Be(20));
    }
}
