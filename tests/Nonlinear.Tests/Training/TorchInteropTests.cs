using Nonlinear.Models;
using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Training;

/// <summary>
/// Checkpoints from and to PyTorch. The fixtures in fixtures/torch-interop come from tools/torch-interop/torch_interop.py
/// (torch 1.13, float32, one thread): `export` saved three torch models with torch's own key names and dtypes (an
/// nn.Sequential MLP, an attribute-named fc1/fc2/fc3 MLP, and a BatchNorm1d MLP whose num_batches_tracked is int64 = 3)
/// with torch's logits on 16 inputs; `import` read our writer's file nonlinear_mlp.safetensors into torch and saved
/// torch's logits. Logits agree within 1e-5 (float32 sums in a different order differ by a few ulps of values ≈ 1).
/// </summary>
public class TorchInteropTests
{
    private const double Tolerance = 1e-5;

    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "torch-interop", name);

    private static Dictionary<string, Tensor> TorchIo() => SafeTensors.Load(Fixture("torch_io.safetensors")).Tensors;

    private static void AssertLogits(Tensor expected, Module model, Tensor inputs)
    {
        model.Eval();
        var actual = model.Forward(inputs).ToArray();
        var want = expected.ToArray();
        Assert.Equal(new[] { 16, 10 }, expected.Shape.ToArray());
        Assert.Equal(want.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < want.Length; i++) worst = Math.Max(worst, Math.Abs(want[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"largest logit difference {worst:G3} > {Tolerance}");
        // The check has teeth: the logits are not all tiny (a model of zeros would pass a loose comparison).
        Assert.True(want.Max(Math.Abs) > 0.1f);
    }

    [Fact]
    public void TorchSequentialLoadsWithoutAMapAndGivesTorchLogits()
    {
        var io = TorchIo();
        var model = ModelSpec.Parse("mlp:32,32", "relu").Build(64, 10, new Rng(0));
        var result = model.LoadStateDict(Checkpoint.LoadWeights(Fixture("seq_mlp.safetensors")));
        Assert.True(result.IsExactMatch);
        AssertLogits(io["seq_mlp.logits"], model, io["inputs"]);
    }

    [Fact]
    public void AttributeNamedTorchModuleLoadsThroughAKeyMap()
    {
        var io = TorchIo();
        var weights = Checkpoint.LoadWeights(Fixture("attr_mlp.safetensors"));
        Assert.Contains("fc1.weight", weights.Keys);
        var model = ModelSpec.Parse("mlp:32,32", "tanh").Build(64, 10, new Rng(0));
        var strictError = Assert.Throws<InvalidInputException>(() => model.LoadStateDict(weights));
        Assert.Contains("missing keys [0.weight, 0.bias, 2.weight", strictError.Message);
        Assert.Contains("unexpected keys [fc1.weight", strictError.Message);
        var map = StateDictKeyMap.Parse(["fc1.=>0.", "fc2.=>2.", "fc3.=>4."]);
        model.LoadStateDict(map.Apply(weights));
        AssertLogits(io["attr_mlp.logits"], model, io["inputs"]);
    }

    [Fact]
    public void BatchNormStateIncludingInt64NumBatchesTrackedLoads()
    {
        var io = TorchIo();
        var rng = new Rng(0);
        var bn = new BatchNorm1d(32);
        var model = new Sequential(new Linear(64, 32, rng), bn, new ActivationLayer("relu"), new Linear(32, 10, rng));
        var (tensors, _) = SafeTensors.Load(Fixture("bn_mlp.safetensors"));
        model.LoadStateDict(tensors);
        // torch stored 3 (int64) after three training-mode forwards; the reader converts I64 exactly.
        Assert.Equal(3f, bn.NumBatchesTracked.Item());
        Assert.Equal(0, bn.NumBatchesTracked.Rank);
        Assert.NotEqual(0f, bn.RunningMean.ToArray()[0]);
        AssertLogits(io["bn_mlp.logits"], model, io["inputs"]);
    }

    [Fact]
    public void BatchNormCountsTrainingForwardsOnly()
    {
        var bn = new BatchNorm1d(2);
        var x = Tensor.FromArray([1f, 2f, 3f, 5f], 2, 2);
        bn.Forward(x);
        bn.Forward(x);
        bn.Eval();
        bn.Forward(x);
        Assert.Equal(2f, bn.NumBatchesTracked.Item());
        Assert.Contains("num_batches_tracked", bn.StateDict().Keys);
    }

    /// <summary>
    /// The reverse direction. The model below (mlp:32,32, gelu, seed 7) was written once with our writer to
    /// fixtures/torch-interop/nonlinear_mlp.safetensors, which the script's `import` read into torch; our writer must still
    /// produce those exact bytes, and torch's logits from them must match ours. To regenerate after a deliberate format
    /// change: NONLINEAR_WRITE_TORCH_FIXTURE=PATH runs this test writing the bytes to PATH, then run the script's `import`.
    /// </summary>
    [Fact]
    public void OurSavedFileIsWhatTorchReadAndGivesTorchLogits()
    {
        var model = ModelSpec.Parse("mlp:32,32", "gelu").Build(64, 10, new Rng(7));
        using var ms = new MemoryStream();
        SafeTensors.Save(ms, model.StateDict());
        byte[] bytes = ms.ToArray();
        if (Environment.GetEnvironmentVariable("NONLINEAR_WRITE_TORCH_FIXTURE") is { Length: > 0 } dest) File.WriteAllBytes(dest, bytes);
        Assert.Equal(File.ReadAllBytes(Fixture("nonlinear_mlp.safetensors")), bytes);
        var torchLogits = SafeTensors.Load(Fixture("nonlinear_mlp.torch_logits.safetensors")).Tensors["logits"];
        AssertLogits(torchLogits, model, TorchIo()["inputs"]);
    }
}
