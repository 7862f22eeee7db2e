using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Quantization;
using Nonlinear.Quantization.Qat;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>Quantization-aware training of the CNN kind (--qat 8, 4, 2) and its conversion to the int8 path.</summary>
public class QatCnnTests
{
    /// <summary>
    /// A CNN trained one epoch with --qat 8 on digits converts to an int8 model (conv, table, pool on codes, …) whose
    /// logits are the fake-quantized model's up to the int8 path's bias rounding and float summation order: relative RMS
    /// under 2 %, ≥ 97 % argmax agreement on the test split. A converter that ignored the learned ranges or the pools'
    /// place would be far off.
    /// </summary>
    [Fact]
    public void QatEightCnnConvertsToTheInt8PathItSimulated()
    {
        var (train, test) = DataSources.Load("digits");
        var model = QuantizationAwareTraining.Prepare(ModelSpec.Parse("cnn:4,8", "relu").Build(64, 10, new Rng(2)), QatSpec.Parse("8"));
        Assert.IsType<QatConv2d>(((Sequential)model)[1]);
        var trainer = new Trainer(model, new TrainOptions { Epochs = 1, BatchSize = 32, LearningRate = 3e-3f, Seed = 0 });
        trainer.Fit(train, test);
        model.Eval();
        var q = QatConverter.ToQuantizedModel(model);
        Assert.Equal(["QuantizedConv2d", "QuantizedActivation", "QuantizedMaxPool2d", "QuantizedConv2d", "QuantizedActivation", "QuantizedMaxPool2d", "QuantizedLinear"],
            q.Layers.Select(l => l.GetType().Name).ToArray());
        var x = Tensor.FromArray(test.Features, test.Count, test.FeatureCount);
        float[] fake;
        using (Nonlinear.Autodiff.Autograd.NoGrad()) fake = model.Call(x).ToArray();
        var int8 = q.Forward(x).ToArray();
        double err = 0, norm = 0;
        for (int i = 0; i < fake.Length; i++) { err += (fake[i] - int8[i]) * (double)(fake[i] - int8[i]); norm += fake[i] * (double)fake[i]; }
        int agree = 0;
        for (int r = 0; r < test.Count; r++)
            if (ArgMax(fake.AsSpan(r * 10, 10)) == ArgMax(int8.AsSpan(r * 10, 10))) agree++;
        Assert.True(Math.Sqrt(err / norm) < 0.02, $"relative RMS {Math.Sqrt(err / norm):P2}");
        Assert.True(agree >= 0.97 * test.Count, $"argmax agreement {agree}/{test.Count}");
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /// <summary>At 4 bits the conv weights are per-channel 4-bit codes (at most 15 distinct values per output channel) in the forward pass, and training still learns.</summary>
    [Fact]
    public void FourBitCnnUsesFourBitWeightsAndLearns()
    {
        var (train, test) = DataSources.Load("digits");
        var model = QuantizationAwareTraining.Prepare(ModelSpec.Parse("cnn:4,8", "relu").Build(64, 10, new Rng(3)), QatSpec.Parse("4"));
        var trainer = new Trainer(model, new TrainOptions { Epochs = 2, BatchSize = 32, LearningRate = 3e-3f, Seed = 0 });
        trainer.Fit(train, test);
        var (_, acc) = trainer.Evaluate(test);
        Assert.True(acc > 0.6, $"4-bit QAT CNN reached {acc:P1}");
        var conv = (QatConv2d)((Sequential)model)[4];   // the second conv: not first (8-bit input) nor last (8-bit weights)
        var w = conv.WeightQuantizer.Call(Ops.Reshape(conv.Weight, conv.OutChannels, conv.InChannels * 9)).ToArray();
        int cols = conv.InChannels * 9;
        for (int j = 0; j < conv.OutChannels; j++)
            Assert.True(w.Skip(j * cols).Take(cols).Distinct().Count() <= 15, $"channel {j} has more than 15 weight values");
    }

    [Fact]
    public void LearnedStepAndBinarySchemesRefuseAConvolution()
    {
        var cnn = ModelSpec.Parse("cnn:4", "relu").Build(64, 10, new Rng(1));
        Assert.Contains("a CNN trains quantization-aware with --qat 8, 4 or 2", Assert.Throws<InvalidInputException>(() => QuantizationAwareTraining.Prepare(cnn, QatSpec.Parse("binary"))).Message);
        Assert.Throws<InvalidInputException>(() => QuantizationAwareTraining.Prepare(cnn, QatSpec.Parse("lsq:4")));
    }
}
