using System.Collections;
using Nonlinear.IO;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void FailureMidWriteLeavesOldFileIntactAndNoTemporary()
    {
        string dir = SafeTensorsTests.TempDir();
        string path = Path.Combine(dir, "model.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f], 2) }, null);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<IOException>(() => SafeTensors.Save(path, new ThrowingDictionary(), null));
        Assert.Equal("disk on fire", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
        Assert.Equal(new float[] { 1, 2 }, SafeTensors.Load(path).Tensors["w"].ToArray());
    }

    [Fact]
    public void FailureInsideWriterCallbackAfterBytesWereWritten()
    {
        string dir = SafeTensorsTests.TempDir();
        string path = Path.Combine(dir, "notes.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new content"u8);
            s.Flush();
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void SuccessReplacesContent()
    {
        string dir = SafeTensorsTests.TempDir();
        string path = Path.Combine(dir, "a.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        AtomicFile.WriteAllBytes(path, [9]);
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void DirectoryPathIsRejected()
    {
        string dir = SafeTensorsTests.TempDir();
        var e = Assert.Throws<InvalidInputException>(() => AtomicFile.WriteAllBytes(dir, [1]));
        Assert.Contains("is a directory", e.Message);
    }

    // Yields one tensor, then fails as if the data source broke halfway through a save.
    private sealed class ThrowingDictionary : IReadOnlyDictionary<string, Tensor>
    {
        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator()
        {
            yield return new("first", Tensor.Ones(3));
            throw new IOException("disk on fire");
        }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public int Count => 2;
        public IEnumerable<string> Keys => throw new NotSupportedException();
        public IEnumerable<Tensor> Values => throw new NotSupportedException();
        public Tensor this[string key] => throw new NotSupportedException();
        public bool ContainsKey(string key) => false;
        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) { value = null; return false; }
    }
}
