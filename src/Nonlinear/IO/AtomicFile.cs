namespace Nonlinear.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a
/// half-written file: the bytes go to a temporary file in the same directory (so the rename stays on one
/// file system), are flushed to disk, and the temporary file is then renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a stream on <c>path + ".tmp-&lt;random&gt;"</c>, flushes it to disk
    /// and moves it onto <paramref name="path"/> (replacing any existing file). If <paramref name="write"/>
    /// throws, the temporary file is deleted, the exception propagates and <paramref name="path"/> is untouched.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ArgumentException($"path '{path}' is a directory; expected a file path.", nameof(path));
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string tmp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
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

    private static void TryDelete(string tmp)
    {
        try { File.Delete(tmp); }
        catch (IOException) { }            // best effort: the original error matters more
        catch (UnauthorizedAccessException) { }
    }
}
