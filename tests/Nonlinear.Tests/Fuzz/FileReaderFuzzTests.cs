using Nonlinear.Data;
using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Nonlinear.Tests.IO;
using Xunit;

namespace Nonlinear.Tests.Fuzz;

/// <summary>
/// 10,000 mutated files each through the safetensors, CSV, IDX and int8-model readers: every rejection must be an
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

    /// <summary>
    /// The int8 model format (`quantize --out`), both versions: 8-bit codes (nonlinear-int8/1) and 7-bit codes with
    /// their max-code metadata (nonlinear-int8/2, `--reduce-range`), for an MLP and a CNN. Seeds are written by the real writer.
    /// </summary>
    [Fact]
    public async Task QuantizedModelReader()
    {
        var rng = new Rng(7);
        var model = new Sequential(new Linear(6, 8, new Rng(1)), new ActivationLayer("gelu"), new Linear(8, 3, new Rng(2)));
        var calib = Tensor.FromArray(Enumerable.Range(0, 64 * 6).Select(_ => (float)rng.NextGaussian()).ToArray(), 64, 6);
        var seeds = new List<byte[]>();
        foreach (bool reduce in new[] { false, true })
        {
            string seedPath = Path.Combine(_dir, $"seed-{reduce}.safetensors");
            QuantizedModelFile.Save(seedPath, PostTrainingQuantizer.Quantize(model, calib, new PtqOptions { ReduceRange = reduce }));
            seeds.Add(File.ReadAllBytes(seedPath));
        }
        // A CNN adds the conv2d and maxpool2d layer kinds (session 8) with their shapes and windows.
        var cnn = ModelSpec.Parse("cnn:2,3", "relu").Build(36, 4, new Rng(3));
        var images = Tensor.FromArray(Enumerable.Range(0, 16 * 36).Select(_ => (float)rng.NextDouble()).ToArray(), 16, 36);
        string cnnSeed = Path.Combine(_dir, "seed-cnn.safetensors");
        QuantizedModelFile.Save(cnnSeed, PostTrainingQuantizer.Quantize(cnn, images));
        seeds.Add(File.ReadAllBytes(cnnSeed));
        string path = Path.Combine(_dir, "fuzz-int8.safetensors");
        var r = await FuzzHarness.Run("int8 model", seeds, FuzzHarness.Seed(20261211), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(path, input); QuantizedModelFile.Load(path); });
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
