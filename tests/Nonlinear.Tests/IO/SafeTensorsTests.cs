using System.Buffers.Binary;
using System.Text;
using Nonlinear.IO;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.IO;

public class SafeTensorsTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    // The tensors tools/golden/safetensors_fixture.py writes into sample.safetensors.
    private static Dictionary<string, Tensor> SampleTensors() => new()
    {
        ["layers.0.weight"] = Tensor.FromArray([-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f], 2, 3),
        ["layers.0.bias"] = Tensor.FromArray([1e-3f, -2.5f, 3.0e7f], 3),
        ["special"] = Tensor.FromArray([0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue], 6),
        ["scalar"] = Tensor.FromArray([42f]),
        ["empty"] = Tensor.Zeros(0, 4),
    };

    private static readonly Dictionary<string, string> SampleMetadata = new() { ["format"] = "pt", ["epoch"] = "7", ["note"] = "héllo" };

    [Fact]
    public void LoadsFileWrittenByPythonGenerator()
    {
        var (tensors, metadata) = SafeTensors.Load(Fixture("sample.safetensors"));
        Assert.Equal(new[] { "layers.0.weight", "layers.0.bias", "special", "scalar", "empty" }, tensors.Keys);
        foreach (var (name, expected) in SampleTensors())
        {
            Assert.Equal(expected.Shape.ToArray(), tensors[name].Shape.ToArray());
            // Bitwise: -0 and the denormal must survive.
            Assert.Equal(expected.ToArray().Select(BitConverter.SingleToInt32Bits), tensors[name].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(0, tensors["scalar"].Rank);
        Assert.Equal(SampleMetadata, metadata);
    }

    [Fact]
    public void SaveReproducesPythonFixtureByteForByte()
    {
        var ms = new MemoryStream();
        SafeTensors.Save(ms, SampleTensors(), SampleMetadata);
        Assert.Equal(File.ReadAllBytes(Fixture("sample.safetensors")), ms.ToArray());
    }

    [Fact]
    public void ReadsOtherDtypesAsFloat32()
    {
        var (t, metadata) = SafeTensors.Load(Fixture("sample_dtypes.safetensors"));
        Assert.Empty(metadata);
        float[] vals = [1.5f, -2.25f, 1024f, 0.0078125f];    // exact in every float format used
        Assert.Equal(vals, t["f64"].ToArray());
        Assert.Equal(vals, t["f16"].ToArray());
        Assert.Equal(new[] { 2, 2 }, t["f16"].Shape.ToArray());
        Assert.Equal(vals, t["bf16"].ToArray());
        Assert.Equal(new float[] { -7, 123456 }, t["i64"].ToArray());
        Assert.Equal(new float[] { 1, -2, 2147483647f }, t["i32"].ToArray());
    }

    [Fact]
    public void RoundTripsThroughFileIncludingNonContiguousViews()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "model.safetensors");
        var rng = new Rng(7);
        var a = Tensor.Randn(rng, [5, 3]);
        var at = Ops.Transpose(a, 0, 1);                 // non-contiguous [3, 5]
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = a, ["at"] = at }, null);
        var (loaded, meta) = SafeTensors.Load(path);
        Assert.Empty(meta);
        Assert.Equal(a.ToArray(), loaded["a"].ToArray());
        Assert.Equal(at.ToArray(), loaded["at"].ToArray());
        Assert.Equal(new[] { 3, 5 }, loaded["at"].Shape.ToArray());
        Assert.Single(Directory.GetFiles(dir));                        // no temporary file left behind
    }

    [Fact]
    public void RejectsReservedName()
    {
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Save(new MemoryStream(), new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Zeros(1) }));
        Assert.Contains("__metadata__", e.Message);
    }

    internal static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nonlinear-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // A file from a hand-written header and data section.
    private static byte[] Raw(string json, int dataBytes, ulong? declared = null)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    private static string LoadError(byte[] bytes)
    {
        string path = Path.Combine(TempDir(), "bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        return e.Message;
    }

    private const string Two = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";

    [Fact]
    public void HandBuiltValidFileLoads()
    {
        // The negative cases below are this file with one defect each.
        string path = Path.Combine(TempDir(), "ok.safetensors");
        File.WriteAllBytes(path, Raw(Two, 12));
        var (t, _) = SafeTensors.Load(path);
        Assert.Equal(new[] { "a", "b" }, t.Keys);
    }

    [Theory]
    [InlineData(Two, 11, "truncated file: tensor 'b' needs data bytes [8, 12) but the data section has 11 bytes")]
    [InlineData(Two, 13, "trailing garbage: the data section has 13 bytes but the tensors end at 12")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor 'b' data_offsets [4, 8] overlap tensor 'a' ending at 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "gap in the data section: tensor 'a' begins at 4")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor 'a' is F32 [3] = 12 bytes but its data_offsets span 8 bytes")]
    [InlineData("""{"a":{"dtype":"Q8","shape":[2],"data_offsets":[0,2]}}""", 2, "unsupported dtype 'Q8' for tensor 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]""", 8, "corrupt header: the JSON is malformed")]
    [InlineData("""[1,2]""", 0, "corrupt header: it does not start with '{'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "shape[0] = -2 is not an integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "data_offsets [8, 0] end before they begin")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2]}}""", 8, "tensor 'a' lacks data_offsets")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}""", 8, "tensor 'a' has unknown field 'x'")]
    [InlineData("""{"__metadata__":{"k":3}}""", 0, "__metadata__['k'] must be a string, found Number")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "key 'a' appears twice")]
    public void CorruptFilesAreRejectedWithTheirDefect(string json, int data, string expected) =>
        Assert.Contains(expected, LoadError(Raw(json, data)));

    [Fact]
    public void TruncatedLengthPrefix() =>
        Assert.Contains("truncated file: expected an 8-byte header length, found 5 bytes", LoadError([1, 0, 0, 0, 0]));

    [Fact]
    public void HeaderLongerThanFile() =>
        Assert.Contains("truncated file: header length is 4096 bytes but only 20 bytes follow", LoadError(Raw("{\"a\":1}", 13, declared: 4096)));

    [Fact]
    public void HeaderLengthAboveBound() =>
        Assert.Contains("header length 18446744073709551615 exceeds the 100000000-byte limit", LoadError(Raw("{}", 0, declared: ulong.MaxValue)));

    [Fact]
    public void TruncatedCopyOfRealFile()
    {
        byte[] full = File.ReadAllBytes(Fixture("sample.safetensors"));
        Assert.Contains("truncated file: tensor 'scalar' needs data bytes [60, 64) but the data section has 62 bytes", LoadError(full[..^2]));
    }

    [Fact]
    public void TruncatedNonSeekableStreamNamesTensor()
    {
        byte[] full = File.ReadAllBytes(Fixture("sample.safetensors"));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new NonSeekable(full[..^2]), "pipe"));
        Assert.Equal("pipe: truncated file: tensor 'scalar' needs data bytes [60, 64) but the file ends at data offset 62.", e.Message);
        var e2 = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new NonSeekable([.. full, 0]), "pipe"));
        Assert.Contains("trailing garbage", e2.Message);
        Assert.Equal(5, SafeTensors.Load(new NonSeekable(full), "pipe").Tensors.Count);
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
