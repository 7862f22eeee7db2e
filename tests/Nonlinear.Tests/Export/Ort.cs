using Microsoft.ML.OnnxRuntime;

namespace Nonlinear.Tests.Export;

/// <summary>Runs an exported model in ONNX Runtime (one thread, all graph optimisations, as a deployment would).</summary>
internal static class Ort
{
    public static float[] Run(byte[] model, float[] input, long[] inputShape, long[] outputShape,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
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

    /// <summary>
    /// The awkward inputs: ±0, ±1e-7, the kink region on a 1/64 grid over [−8, 8], ±20, ±80, ±1e4. NaN and ±∞ are not
    /// among them: NaN propagation through Where/Max differs between engines by design, and ∞ only probes limits the
    /// kernels special-case (documented per entry). |x| ≥ 1e18, where several kernels switch to asymptotic forms, is
    /// likewise outside the compared range.
    /// </summary>
    public static float[] AwkwardInputs()
    {
        var xs = new List<float> { 0f, -0f, 1e-7f, -1e-7f, 20f, -20f, 80f, -80f, 1e4f, -1e4f, 3f, -3f, 0.5f, -0.5f };
        for (int i = -512; i <= 512; i++) xs.Add(i / 64f);
        return [.. xs];
    }
}
