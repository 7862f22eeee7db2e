using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// A module's activations over a data set as the [n, width] tensors SAE training takes, captured by
/// <see cref="ActivationCapture"/> (forward hooks, eval mode, NoGrad, inputs in order; feature maps flattened).
/// </summary>
public static class SaeData
{
    /// <summary>
    /// The output (or, with <paramref name="input"/>, the input) of module <paramref name="layer"/> as [rows, width]:
    /// one row per input with feature maps flattened, or with <see cref="SpatialLayout.TokensAsRows"/> one row per token
    /// of a sequence model's [B, T, D] stream.
    /// </summary>
    /// <exception cref="InvalidInputException">No module has that name (the message lists the valid ones).</exception>
    public static Tensor Capture(Module model, Dataset data, string layer, bool input = false, int batchSize = 1000, Action<int, int>? progress = null,
        SpatialLayout layout = SpatialLayout.Flatten) =>
        AsTensor(ActivationCapture.Collect(model, data, [layer],
            new CaptureOptions(batchSize, input ? CapturePoint.Input : CapturePoint.Output, layout, progress))[layer]);

    /// <summary>Both the input and the output of module <paramref name="layer"/> (for a transcoder), each [rows, width].</summary>
    public static (Tensor Input, Tensor Output) CaptureInputOutput(Module model, Dataset data, string layer, int batchSize = 1000, Action<int, int>? progress = null,
        SpatialLayout layout = SpatialLayout.Flatten)
    {
        // Two passes (one per capture point): a transcoder's data is captured once per training run, not per step.
        var x = Capture(model, data, layer, input: true, batchSize, progress is null ? null : (d, n) => progress(d, 2 * n), layout);
        var y = Capture(model, data, layer, input: false, batchSize, progress is null ? null : (d, n) => progress(n + d, 2 * n), layout);
        return (x, y);
    }

    private static Tensor AsTensor(ActivationMatrix m) => Tensor.FromArray(m.Values, m.Rows, m.Units);
}
