using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret;

public sealed class CaptureTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nl-capture-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static Dataset Digits(int count)
    {
        var (train, _) = DataSources.Load("digits");
        return train.Subset(Enumerable.Range(0, count).ToArray());
    }

    // The reference: run the Sequential's children one by one on the whole set and keep child k's output.
    private static float[] Direct(Sequential model, Dataset data, int upTo)
    {
        model.Eval();
        var x = Tensor.FromArray((float[])data.Features.Clone(), data.Count, data.FeatureCount);
        for (int i = 0; i <= upTo; i++) x = model[i].Call(x);
        return x.Contiguous().AsReadOnlySpan().ToArray();
    }

    [Fact]
    public void CollectEqualsTheForwardPassForAnMlpInOddBatches()
    {
        var data = Digits(203);
        var model = (Sequential)ModelSpec.Parse("mlp:16,8", "relu").Build(data.FeatureCount, 10, new Rng(1));
        model.Train();
        var progress = new List<(int, int)>();
        var got = ActivationCapture.Collect(model, data, ["1", "2"], new CaptureOptions(BatchSize: 64, Progress: (d, t) => progress.Add((d, t))));
        Assert.Equal((203, 16), (got["1"].Rows, got["1"].Units));
        Assert.Equal((203, 8), (got["2"].Rows, got["2"].Units));
        Assert.True(model.IsTraining, "capture restores the training mode");
        Assert.Equal(Direct(model, data, 1), got["1"].Values);
        Assert.Equal(Direct(model, data, 2), got["2"].Values);
        Assert.Equal([(64, 203), (128, 203), (192, 203), (203, 203)], progress);
        Assert.Equal(data.Labels, got.Labels);
    }

    [Fact]
    public void InputPointRecordsWhatTheModuleReceives()
    {
        var data = Digits(50);
        var model = (Sequential)ModelSpec.Parse("mlp:16", "tanh").Build(data.FeatureCount, 10, new Rng(2));
        var input = ActivationCapture.Collect(model, data, ["2"], new CaptureOptions(Point: CapturePoint.Input));
        var output = ActivationCapture.Collect(model, data, ["1"]);
        Assert.Equal(output["1"].Values, input["2"].Values);
    }

    [Fact]
    public void ConvFeatureMapsFlattenOrBecomeChannelRows()
    {
        var data = Digits(9);
        var model = (Sequential)ModelSpec.Parse("cnn:3", "relu").Build(data.FeatureCount, 10, new Rng(3));
        var flat = ActivationCapture.Collect(model, data, ["2"], new CaptureOptions(BatchSize: 4));
        var chan = ActivationCapture.Collect(model, data, ["2"], new CaptureOptions(BatchSize: 4, Layout: SpatialLayout.ChannelsAsUnits));
        var direct = Direct(model, data, 2); // [9, 3, 8, 8]
        Assert.Equal(direct, flat["2"].Values);
        var c = chan["2"];
        Assert.Equal((9 * 64, 3, 64), (c.Rows, c.Units, c.RowsPerInput));
        for (int n = 0; n < 9; n++)
            for (int ch = 0; ch < 3; ch++)
                for (int p = 0; p < 64; p++)
                    Assert.Equal(direct[(n * 3 + ch) * 64 + p], c.Values[(n * 64 + p) * 3 + ch]);
        Assert.Equal(5, c.InputOf(5 * 64 + 63));
    }

    [Fact]
    public void KanLayersAreCapturedByDottedName()
    {
        var data = Digits(30);
        var model = ModelSpec.Parse("kan:5").Build(data.FeatureCount, 10, new Rng(4));
        var got = ActivationCapture.Collect(model, data, ["layers.0"]);
        var x = Tensor.FromArray((float[])data.Features.Clone(), data.Count, data.FeatureCount);
        model.Eval();
        Assert.Equal(model.GetSubmodule("layers.0").Call(x).AsReadOnlySpan().ToArray(), got["layers.0"].Values);
    }

    [Fact]
    public void UnknownNamesListEveryValidName()
    {
        var data = Digits(4);
        var model = ModelSpec.Parse("mlp:4", "relu").Build(data.FeatureCount, 10, new Rng(5));
        var e = Assert.Throws<InvalidInputException>(() => ActivationCapture.Collect(model, data, ["7"]));
        Assert.Contains("no module '7'", e.Message);
        Assert.Contains("valid names: 0, 1, 2", e.Message);
        Assert.Contains("named twice", Assert.Throws<InvalidInputException>(() => ActivationCapture.Collect(model, data, ["1", "1"])).Message);
        Assert.Throws<InvalidInputException>(() => ActivationCapture.Collect(model, data, []));
    }

    [Fact]
    public void HooksAreRemovedAfterCaptureAndAfterAFailure()
    {
        var data = Digits(10);
        var model = (Sequential)ModelSpec.Parse("mlp:4", "relu").Build(data.FeatureCount, 10, new Rng(6));
        Assert.Throws<InvalidOperationException>(() => ActivationCapture.Run(model, data, ["1"], null, _ => throw new InvalidOperationException("sink failed")));
        int calls = 0;
        using (model.Hook("1", (_, _, _) => { calls++; return null; }))
            ActivationCapture.Collect(model, data, ["1"], new CaptureOptions(BatchSize: 5));
        Assert.Equal(2, calls); // only our own hook remains: the capture's were disposed
    }

    [Fact]
    public void ShardsRoundTripInBoundedFilesAndReadInOrder()
    {
        var data = Digits(101);
        var model = (Sequential)ModelSpec.Parse("mlp:16,8", "relu").Build(data.FeatureCount, 10, new Rng(7));
        var memory = ActivationCapture.Collect(model, data, ["1", "3"]);
        // (16 + 8) units × 4 bytes = 96 bytes per input: 2048 bytes → 21 inputs per shard → 5 shards.
        var index = ActivationCapture.ToShards(model, data, ["1", "3"], _dir, maxShardBytes: 2048, new CaptureOptions(BatchSize: 32));
        Assert.Equal(101, index.Inputs);
        Assert.Equal([21, 21, 21, 21, 17], index.Shards.Select(s => s.Inputs));
        var shards = ActivationShards.Open(_dir);
        var h1 = new List<float>();
        var h3 = new List<float>();
        var labels = new List<int>();
        foreach (var b in shards.Read())
        {
            h1.AddRange(b.Layers[0].Values);
            h3.AddRange(b.Layers[1].Values);
            labels.AddRange(b.Labels);
        }
        Assert.Equal(memory["1"].Values, h1);
        Assert.Equal(memory["3"].Values, h3);
        Assert.Equal(data.Labels!, labels);
        Assert.Throws<InvalidInputException>(() => ActivationCapture.ToShards(model, data, ["1"], _dir));
    }

    [Fact]
    public void UnfinishedOrCorruptShardSetsAreRefused()
    {
        Directory.CreateDirectory(_dir);
        Assert.Throws<FileNotFoundException>(() => ActivationShards.Open(_dir));
        File.WriteAllText(Path.Combine(_dir, "index.json"),
            """{"format":"nonlinear-activations/1","inputs":5,"layers":[{"name":"1","units":2,"rows_per_input":1}],"shards":[{"file":"../x","first_input":0,"inputs":5}]}""");
        Assert.Contains("shard file name '../x'", Assert.Throws<InvalidDataException>(() => ActivationShards.Open(_dir)).Message);
        File.WriteAllText(Path.Combine(_dir, "index.json"),
            """{"format":"nonlinear-activations/1","inputs":9,"layers":[{"name":"1","units":2,"rows_per_input":1}],"shards":[{"file":"s","first_input":0,"inputs":5}]}""");
        Assert.Contains("shards hold 5 inputs; the index says 9", Assert.Throws<InvalidDataException>(() => ActivationShards.Open(_dir)).Message);
    }
}
