namespace Nonlinear.IO;

/// <summary>
/// Refuses paths that are not regular files before anything is read from them. A character device
/// (<c>/dev/zero</c>, <c>/dev/urandom</c>) reports length 0 yet never ends, and a FIFO blocks until a writer
/// comes: either would hang a reader or exhaust memory, and neither is a data file anyone meant to pass.
/// </summary>
public static class RegularFile
{
    /// <summary>Throws unless <paramref name="path"/> is an existing regular file (a symbolic link to one is fine).</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The path is a directory, device, FIFO or socket; the message names the kind.</exception>
    public static void Require(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new InvalidDataException($"{path}: is a directory; expected a regular file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        if (Kind(path) is string kind)
            throw new InvalidDataException($"{path}: is a {kind}, not a regular file; expected a regular file.");
    }

    /// <summary>The kind of a non-regular file ("character device", "FIFO", …), or null for a regular file or when the platform cannot tell.</summary>
    internal static string? Kind(string path)
    {
        if (OperatingSystem.IsWindows()) return null;   // devices and pipes are not reachable through ordinary paths there
        int mode;
        try
        {
            // stat follows symbolic links, so a link to a regular file counts as regular.
            if (Posix.Stat(path, out var st) != 0) return null;  // vanished or unreadable: the open that follows reports it
            mode = st.Mode;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;                                // another runtime host: fall back to reading with bounds
        }
        return (mode & 0xF000) switch
        {
            0x8000 => null,
            0x2000 => "character device",
            0x6000 => "block device",
            0x1000 => "FIFO (named pipe)",
            0xC000 => "socket",
            0x4000 => "directory",
            _ => $"special file (mode 0x{mode:X})",
        };
    }
}
