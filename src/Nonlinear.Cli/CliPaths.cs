namespace Nonlinear.Cli;

/// <summary>
/// Checks of the paths the user names, made before any work starts: a run that trains for an hour and then cannot
/// write its result has wasted the hour. Messages name the option, the path and what was expected.
/// </summary>
internal static class CliPaths
{
    /// <summary>
    /// <paramref name="path"/> can be written as a file: not empty, not a directory, in an existing folder we may
    /// create files in, with the extension <paramref name="extension"/> when one is given, and not the same file as
    /// any of <paramref name="inputs"/> (option, path) — overwriting the input with the output destroys it.
    /// </summary>
    /// <exception cref="InvalidInputException">One of those does not hold.</exception>
    public static void RequireOutputFile(string option, string path, string? extension = null, params (string Option, string? Path)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException($"{option}: expected a file name; got an empty one.");
        if (extension is not null && !path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"{option} '{path}': expected a file name ending in {extension}. Only {extension.TrimStart('.').ToUpperInvariant()} is supported.");
        if (Directory.Exists(path)) throw new InvalidInputException($"{option} '{path}' is a directory; expected a file name.");
        string full = Path.GetFullPath(path);
        foreach (var (inputOption, input) in inputs)
            if (input is not null && File.Exists(input) && SameFile(full, Path.GetFullPath(input)))
                throw new InvalidInputException($"{option} '{path}' is the same file as {inputOption} '{input}'; writing it would destroy the input.");
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) throw new InvalidInputException($"{option} '{path}': the folder '{dir}' does not exist.");
        // Permissions, read-only mounts and ACLs are only known by trying: create (and delete) a file beside the target.
        string probe = Path.Combine(dir, $".{Path.GetFileName(full)}.probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InvalidInputException($"{option} '{path}': cannot create files in '{dir}' ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary><paramref name="path"/> is an existing regular file (not a directory).</summary>
    /// <exception cref="InvalidInputException">It is a directory.</exception>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    public static void RequireInputFile(string option, string path)
    {
        if (Directory.Exists(path)) throw new InvalidInputException($"{option} '{path}' is a directory; expected a file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{option} '{path}': no such file.", path);
    }

    // Symbolic links resolved, so `--save link-to-data.csv` is caught too.
    private static bool SameFile(string a, string b)
    {
        static string Resolve(string p) => File.Exists(p) ? new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? p : p;   // a new --save file has nothing to resolve (and ResolveLinkTarget throws for it)
        return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
