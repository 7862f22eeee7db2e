using Nonlinear.IO;
using Xunit;

namespace Nonlinear.Tests.IO;

/// <summary>The atomic-save findings of issue 9: stale temporaries, symbolic links, file modes, directory fsync.</summary>
public class AtomicFileHardeningTests
{
    private static string Dir() => SafeTensorsTests.TempDir();

    private static string Touch(string path, TimeSpan age)
    {
        File.WriteAllText(path, "left over");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public void StaleTemporariesOfTheSameTargetAreCleanedOnTheNextSave()
    {
        string dir = Dir(), target = Path.Combine(dir, "model.safetensors");
        string stale = Touch(target + ".tmp-0123456789ab", TimeSpan.FromHours(2));
        string fresh = Touch(target + ".tmp-00000000beef", TimeSpan.FromSeconds(5));       // maybe a save running right now
        string held = Touch(target + ".tmp-aaaaaaaaaaaa", TimeSpan.FromHours(2));
        string[] notOurs =
        [
            Touch(target + ".tmp-0123456789abc", TimeSpan.FromHours(2)),                   // 13 digits
            Touch(target + ".tmp-0123456789AB", TimeSpan.FromHours(2)),                    // upper case: not what we write
            Touch(target + ".tmp-notours", TimeSpan.FromHours(2)),
            Touch(Path.Combine(dir, "other.safetensors.tmp-0123456789ab"), TimeSpan.FromHours(2)),
        ];
        // A live writer in another process holds its temporary file exclusively (flock on Unix).
        using (new FileStream(held, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            AtomicFile.WriteAllText(target, "new");

        Assert.Equal("new", File.ReadAllText(target));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(held));
        Assert.All(notOurs, p => Assert.True(File.Exists(p), p));
    }

    [Fact]
    public void SymbolicLinkIsWrittenThroughAndStaysALink()
    {
        string dir = Dir(), real = Path.Combine(dir, "real.txt"), link = Path.Combine(dir, "link.txt");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, "real.txt");
        AtomicFile.WriteAllText(link, "new");
        Assert.Equal("real.txt", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(real));
        Assert.Equal(["link.txt", "real.txt"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void DanglingLinkGetsItsTargetCreated()
    {
        string dir = Dir(), link = Path.Combine(dir, "link.txt");
        File.CreateSymbolicLink(link, Path.Combine(dir, "sub", "real.txt"));
        AtomicFile.WriteAllText(link, "made");
        Assert.Equal("made", File.ReadAllText(Path.Combine(dir, "sub", "real.txt")));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ExistingModeIsKept(UnixFileMode mode)
    {
        string path = Path.Combine(Dir(), "secret.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, mode);
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal(mode, File.GetUnixFileMode(path));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void DirectoryFsyncAndFileTypeReachTheOperatingSystem()
    {
        // Both go through the runtime's native layer; a broken binding would silently return false/null.
        Assert.True(Posix.FSyncDirectory(Dir()));
        Assert.False(Posix.FSyncDirectory(Path.Combine(Dir(), "missing")));
        Assert.Equal("character device", RegularFile.Kind("/dev/null"));
        Assert.Null(RegularFile.Kind(typeof(AtomicFile).Assembly.Location));
        Assert.Equal("directory", RegularFile.Kind(Dir()));
    }
}
