using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Captures a module's activations over a data set for SAE training, through a forward hook on the module with
/// the dotted name, in batches, under NoGrad and in eval mode (the model's mode is restored).
/// </summary>
/// <remarks>Kept small on purpose: the general capture API of <c>Interpret</c> is meant to replace it.</remarks>
public static class SaeData
{
    /// <summary>The output (or, with <paramref name="input"/>, the input) of module <paramref name="layer"/>, flattened to [n, width].</summary>
    /// <exception cref="ArgumentException">No module has that name.</exception>
    public static Tensor Capture(Module model, Dataset data, string layer, bool input = false, int batchSize = 1000, Action<int, int>? progress = null)
        => CaptureBoth(model, data, layer, batchSize, progress, input ? Side.Input : Side.Output).Item1;

    /// <summary>Both the input and the output of module <paramref name="layer"/> (for a transcoder), each [n, width].</summary>
    public static (Tensor Input, Tensor Output) CaptureInputOutput(Module model, Dataset data, string layer, int batchSize = 1000, Action<int, int>? progress = null)
    {
        var (i, o) = CaptureBoth(model, data, layer, batchSize, progress, Side.Both);
        return (i, o!);
    }

    private enum Side { Input, Output, Both }

    private static (Tensor, Tensor?) CaptureBoth(Module model, Dataset data, string layer, int batchSize, Action<int, int>? progress, Side side)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var first = new List<float[]>();
        var second = new List<float[]>();
        int w1 = -1, w2 = -1;
        using var handle = model.Hook(layer, (m, x, y) =>
        {
            var a = side == Side.Output ? y : x;
            w1 = Append(first, a);
            if (side == Side.Both) w2 = Append(second, y);
            return null;
        });
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            var loader = new DataLoader(data, batchSize, shuffle: false, seed: 0);
            int done = 0;
            foreach (var batch in loader.Epoch(0))
            {
                model.Call(batch.Features);
                done += batch.Features.Size(0);
                progress?.Invoke(done, data.Count);
            }
        }
        finally
        {
            if (wasTraining) model.Train();
        }
        if (w1 < 0) throw new InvalidOperationException($"module '{layer}' did not run during the forward pass.");
        return (Concat(first, w1), side == Side.Both ? Concat(second, w2) : null);
    }

    private static int Append(List<float[]> parts, Tensor t)
    {
        parts.Add(t.Contiguous().AsReadOnlySpan().ToArray());
        return t.Rank == 0 ? 1 : t.Length / t.Size(0);
    }

    private static Tensor Concat(List<float[]> parts, int width)
    {
        var all = new float[parts.Sum(p => (long)p.Length)];
        long at = 0;
        foreach (var p in parts) { p.CopyTo(all, at); at += p.Length; }
        return Tensor.FromArray(all, all.Length / Math.Max(width, 1), width);
    }
}
