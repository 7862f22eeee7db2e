using System.Buffers.Binary;
using System.Text;
using Nonlinear.IO;
using Xunit;

namespace Nonlinear.Tests.IO;

/// <summary>The safetensors findings of issue 9, each reproduced: bad UTF-8, repeated fields and names, pipes, devices, huge names.</summary>
public class SafeTensorsHostileInputTests
{
    /// <summary>A file: 8-byte length, the header bytes as given, then <paramref name="data"/>.</summary>
    private static byte[] File(byte[] header, int data = 0)
    {
        var bytes = new byte[8 + header.Length + data];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] File(string header, int data = 0) => File(Encoding.UTF8.GetBytes(header), data);

    private static string Error(byte[] file, bool pipe = false) =>
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(pipe ? new NonSeekableStream(file) : new MemoryStream(file), "f")).Message;

    [Theory]
    [InlineData("{\"t\xff\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 3)]               // tensor name
    [InlineData("{\"__metadata__\":{\"k\":\"v\xc3\"},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 23)] // metadata value (cut sequence)
    [InlineData("{\"t\":{\"dtype\":\"F3\x80\",\"shape\":[1],\"data_offsets\":[0,4]}}", 17)]            // dtype
    public void NonUtf8HeaderIsACorruptHeaderNotAStackTrace(string latin1, int offset)
    {
        // Latin-1 maps each char to one byte, so \xff etc. become the raw (invalid UTF-8) bytes.
        byte[] header = Encoding.Latin1.GetBytes(latin1);
        Assert.Equal($"f: corrupt header: it is not valid UTF-8 (first invalid byte at header offset {offset}).", Error(File(header, 4)));
    }

    [Fact]
    public void EscapedLoneSurrogateIsACorruptHeader()
    {
        // Valid UTF-8 and valid JSON, but the string cannot become .NET text: System.Text.Json throws InvalidOperationException.
        string msg = Error(File("{\"__metadata__\":{\"k\":\"\\ud800\"}}"));
        Assert.StartsWith("f: corrupt header: ", msg);
    }

    [Fact]
    public void RepeatedFieldInOneTensorIsRejectedAsTheReferenceDoes()
    {
        // Last-wins would read I32 where another reader reads F32; serde rejects it with "duplicate field".
        Assert.Equal("f: corrupt header: tensor 't' has field 'dtype' twice.",
            Error(File("{\"t\":{\"dtype\":\"F32\",\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        Assert.Equal("f: corrupt header: tensor 't' has field 'shape' twice.",
            Error(File("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
    }

    [Fact]
    public void RepeatedTensorNameAndMetadataKeyAreRejected()
    {
        Assert.Equal("f: corrupt header: key 't' appears twice.",
            Error(File("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));
        Assert.Equal("f: corrupt header: __metadata__ key 'k' appears twice.", Error(File("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}")));
    }

    [Fact]
    public void PipeDoesNotAllocateWhatTheHeaderClaims()
    {
        // A 99 MB header length and a 400 MB tensor, neither backed by data: the reader must not allocate them up front.
        var hugeHeader = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(hugeHeader, 99_999_999);
        long before = GC.GetAllocatedBytesForCurrentThread();
        string msg = Error(hugeHeader, pipe: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("f: truncated file: header length is 99999999 bytes but only 8 bytes follow the 8-byte length.", msg);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes for an 8-byte header");

        byte[] bigTensor = File("{\"t\":{\"dtype\":\"F32\",\"shape\":[100000000],\"data_offsets\":[0,400000000]}}", 12);
        before = GC.GetAllocatedBytesForCurrentThread();
        msg = Error(bigTensor, pipe: true);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("f: truncated file: tensor 't' needs data bytes [0, 400000000) but the file ends at data offset 12.", msg);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes for 12 bytes of data");
    }

    [Fact]
    public void PipeReadsValidFilesInSmallPieces()
    {
        var ms = new MemoryStream();
        var t = Nonlinear.Tensors.Tensor.FromArray([1f, -2f, 3.5f], 3);
        SafeTensors.Save(ms, new Dictionary<string, Nonlinear.Tensors.Tensor> { ["w"] = t }, new Dictionary<string, string> { ["a"] = "b" });
        var (tensors, meta) = SafeTensors.Load(new NonSeekableStream(ms.ToArray(), maxRead: 3), "pipe");
        Assert.Equal(new[] { 1f, -2f, 3.5f }, tensors["w"].ToArray());
        Assert.Equal("b", meta["a"]);
    }

    [Fact]
    public void DevicesDirectoriesAndFifosAreRefusedBeforeReading()
    {
        Assert.Equal("/dev/zero: is a character device, not a regular file; expected a regular file.",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load("/dev/zero")).Message);
        string dir = Directory.CreateTempSubdirectory("nonlinear-st-").FullName;
        Assert.Equal($"{dir}: is a directory; expected a regular file.", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(dir)).Message);
        string fifo = Path.Combine(dir, "pipe");
        Fifo.Make(fifo);
        // Opening a FIFO would block until a writer comes; it must be refused by its type instead.
        Assert.Equal($"{fifo}: is a FIFO (named pipe), not a regular file; expected a regular file.",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load(fifo)).Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void EndlessDeviceStreamHasNoNegativeByteCount()
    {
        // /dev/zero seeks and reports length 0 yet yields bytes; "only -8 bytes follow" came from trusting that length.
        using var zero = new FileStream("/dev/zero", FileMode.Open, FileAccess.Read);
        string msg = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(zero, "/dev/zero")).Message;
        Assert.Equal("/dev/zero: corrupt header: it does not start with '{'.", msg);
    }

    [Fact]
    public void ShortSeekableFileNamesTheBytesThatFollow()
    {
        Assert.Equal("f: truncated file: header length is 100 bytes but only 4 bytes follow the 8-byte length.",
            Error([100, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32]));
    }

    [Fact]
    public void HugeNamesAreCutInMessages()
    {
        string name = new('n', 100_000);
        string msg = Error(File($"{{\"{name}\":{{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,1]}}}}", 1));
        Assert.StartsWith($"f: unsupported dtype 'Q8' for tensor '{new string('n', MessageText.MaxQuoted)}…' (100000 characters)", msg);
        Assert.True(msg.Length < 400, $"message of {msg.Length} characters");
    }
}
