using Nonlinear.Data;
using Nonlinear.IO;
using Nonlinear.Tests.IO;
using Xunit;

namespace Nonlinear.Tests.Fuzz;

/// <summary>
/// 10,000 mutated files each through the safetensors, CSV and IDX readers: every rejection must be an
/// <see cref="InvalidDataException"/> with a message, within the time and memory bounds of <see cref="FuzzHarness"/>.
/// </summary>
public sealed class FileReaderFuzzTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nonlinear-fuzz-" + Guid.NewGuid().ToString("N"));

    public FileReaderFuzzTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SafeTensorsReader()
    {
        // Odd inputs go through a non-seekable stream (a pipe), where the reader cannot check lengths up front.
        var r = await FuzzHarness.Run("safetensors", FuzzHarness.Corpus("*.safetensors"), FuzzHarness.Seed(20261207), typeof(InvalidDataException),
            (input, i) => SafeTensors.Load(i % 2 == 0 ? new MemoryStream(input) : new NonSeekableStream(input, 977), "fuzz.safetensors"));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task CsvReaderThroughFiles()
    {
        // Through a file, so that the gzip detection and the trailer check are fuzzed too (the corpus has a .csv.gz).
        string path = Path.Combine(_dir, "fuzz.csv");
        var r = await FuzzHarness.Run("csv", FuzzHarness.Corpus("*.csv*"), FuzzHarness.Seed(20261208), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(path, input); CsvReader.Read(path); });
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task IdxImageReader()
    {
        string path = Path.Combine(_dir, "images.idx");
        var r = await FuzzHarness.Run("idx images", FuzzHarness.Corpus("images.idx*"), FuzzHarness.Seed(20261209), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(path, input); IdxReader.ReadImages(path); });
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task IdxLabelReader()
    {
        string path = Path.Combine(_dir, "labels.idx");
        var r = await FuzzHarness.Run("idx labels", FuzzHarness.Corpus("labels.idx*"), FuzzHarness.Seed(20261210), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(path, input); IdxReader.ReadLabels(path); });
        FuzzHarness.AssertClean(r);
    }
}
