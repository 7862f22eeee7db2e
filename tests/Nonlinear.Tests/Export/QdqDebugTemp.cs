using Microsoft.ML.OnnxRuntime;
using Nonlinear.Export;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Export;

public sealed class QdqDebugTemp
{
    private static float[] Run(byte[] model, float[] input, long[] inputShape, long[] outputShape, GraphOptimizationLevel level)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = level };
        using var session = new InferenceSession(model, options);
        var output = new float[outputShape.Aggregate(1L, (a, b) => a * b)];
        using var xv = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var yv = OrtValue.CreateTensorValueFromMemory(output, outputShape);
        using var run = new RunOptions();
        session.Run(run, ["input"], [xv], ["output"], [yv]);
        return output;
    }

    [Fact]
    public void Diagnose()
    {
        var lines = new List<string>();
        var x = Tensor.Rand(new Rng(7), [128, 20], -3f, 3f);
        var calib = Tensor.Rand(new Rng(11), [256, 20], -3f, 3f);
        foreach (var name in new[] { "gelu", "prelu", "identity2", "relu" })
        {
            Module act = name == "prelu" ? new PRelu(32) : new ActivationLayer(name == "identity2" ? "identity" : name);
            if (act is PRelu p) Enumerable.Range(0, 32).Select(i => -0.4f + 0.05f * i).ToArray().CopyTo(p.Weight.AsSpan());
            var model = new Sequential(new Linear(20, 32, new Rng(2)), act, new Linear(32, 10, new Rng(4)));
            var q = PostTrainingQuantizer.Quantize(model, calib);
            var ours = q.Forward(x).ToArray();
            var bytes = QdqExporter.ToBytes(q);
            foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_BASIC, GraphOptimizationLevel.ORT_ENABLE_ALL })
            {
                var ort = Run(bytes, x.ToArray(), [128, 20], [128, 10], level);
                double max = 0; int bad = 0;
                for (int i = 0; i < ours.Length; i++) { double d = Math.Abs(ours[i] - ort[i]); max = Math.Max(max, d); if (d > 1e-4) bad++; }
                lines.Add($"{name} {level}: max diff {max:E3}, {bad}/{ours.Length} > 1e-4");
            }
        }
        File.WriteAllLines("/tmp/qdq_debug.txt", lines);
    }
}
