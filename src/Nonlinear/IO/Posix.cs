using System.Runtime.InteropServices;

namespace Nonlinear.IO;

/// <summary>
/// The few POSIX calls .NET does not expose (file type, fsync of a directory), taken from the runtime's own
/// portable layer: libSystem.Native ships with every .NET on Unix and its signatures do not depend on the
/// architecture, unlike libc's <c>struct stat</c>. Callers catch <see cref="DllNotFoundException"/> and
/// <see cref="EntryPointNotFoundException"/> and degrade (Windows, unusual hosts).
/// </summary>
internal static partial class Posix
{
    private const string Lib = "libSystem.Native";

    /// <summary>The start of the runtime's FileStatus: two int32s, Flags and Mode, on every platform; the explicit size covers the rest.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    internal struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    /// <summary>stat(2), following symbolic links; 0 on success.</summary>
    [LibraryImport(Lib, EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Stat(string path, out FileStatus output);

    /// <summary>open(2) with the runtime's portable flags (0 = read only); a file descriptor or −1.</summary>
    [LibraryImport(Lib, EntryPoint = "SystemNative_Open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Open(string path, int flags, int mode);

    /// <summary>fsync(2); 0 on success.</summary>
    [LibraryImport(Lib, EntryPoint = "SystemNative_FSync")]
    internal static partial int FSync(nint fd);

    /// <summary>close(2); 0 on success.</summary>
    [LibraryImport(Lib, EntryPoint = "SystemNative_Close")]
    internal static partial int Close(nint fd);

    /// <summary>
    /// Flushes a directory's entries to disk, so that a rename into it survives a power cut (rename is atomic
    /// but only durable once the directory itself is synced). Best effort: false where unsupported.
    /// </summary>
    internal static bool FSyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return false;   // NTFS journals the rename; there is no directory handle to flush
        try
        {
            nint fd = Open(dir, 0, 0);
            if (fd < 0) return false;
            try { return FSync(fd) == 0; }
            finally { Close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
