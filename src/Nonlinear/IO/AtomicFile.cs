namespace Nonlinear.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a
/// half-written file: the bytes go to a temporary file in the same directory (so the rename stays on one
/// file system), are flushed to disk, the temporary file is renamed over the target, and the directory is
/// flushed so the rename itself survives a power cut. A symbolic link is written through (its target is
/// replaced, the link stays, as editors do); an existing target keeps its Unix permission bits.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// How old an unlocked temporary file of ours must be before a later save of the same target deletes it.
    /// A writer holds its temporary file open with <see cref="FileShare.None"/> (an exclusive lock, flock on
    /// Unix) until just before the rename, so an unlocked one is a leftover of a killed save; the age guards
    /// the instant between close and rename of a save running right now in another process.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    private const string TempMarker = ".tmp-";
    private const int TempIdLength = 12;

    /// <summary>
    /// Calls <paramref name="write"/> with a stream on <c>path + ".tmp-&lt;12 hex digits&gt;"</c>, flushes it to
    /// disk and moves it onto <paramref name="path"/> (replacing any existing file, or the file a symbolic link
    /// points to). If <paramref name="write"/> throws, the temporary file is deleted, the exception propagates
    /// and <paramref name="path"/> is untouched. Stale temporary files left by killed saves to the same target
    /// are deleted first (see <see cref="StaleAfter"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = ResolveTarget(Path.GetFullPath(path));
        if (Directory.Exists(full))
            throw new InvalidInputException($"path '{path}' is a directory; expected a file path.", nameof(path));
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        DeleteStaleTemporaries(full, DateTime.UtcNow - StaleAfter);
        string tmp = full + TempMarker + Guid.NewGuid().ToString("N")[..TempIdLength];
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            KeepMode(full, tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        Posix.FSyncDirectory(dir);
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Atomically replaces <paramref name="path"/> with the UTF-8 text <paramref name="text"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
    }

    // Renaming over a symbolic link would replace the link by a file and leave its target stale; write the
    // final target instead (a dangling link gets its target created).
    private static string ResolveTarget(string full)
    {
        var link = new FileInfo(full).LinkTarget is null ? null : File.ResolveLinkTarget(full, returnFinalTarget: true);
        return link is null ? full : Path.GetFullPath(link.FullName);
    }

    private static void KeepMode(string target, string tmp)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(target)) return;
        File.SetUnixFileMode(tmp, File.GetUnixFileMode(target));
    }

    /// <summary>Deletes <c>target.tmp-XXXXXXXXXXXX</c> files (exactly our pattern) last written before <paramref name="cutoff"/> that no writer holds open.</summary>
    internal static int DeleteStaleTemporaries(string target, DateTime cutoff)
    {
        string dir = Path.GetDirectoryName(target) ?? ".", prefix = Path.GetFileName(target) + TempMarker;
        int deleted = 0;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, "*" + TempMarker + "*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (string file in candidates)
        {
            string name = Path.GetFileName(file);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !IsTempId(name.AsSpan(prefix.Length))) continue;
            try
            {
                if (File.GetLastWriteTimeUtc(file) >= cutoff) continue;
                // Fails while a live writer holds its exclusive lock; the file is then not stale.
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1)) { }
                File.Delete(file);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return deleted;
    }

    private static bool IsTempId(ReadOnlySpan<char> id)
    {
        if (id.Length != TempIdLength) return false;
        foreach (char c in id) if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    private static void TryDelete(string tmp)
    {
        try { File.Delete(tmp); }
        catch (IOException) { }            // best effort: the original error matters more
        catch (UnauthorizedAccessException) { }
    }
}
