using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// The no-grad forward of an MLP-shaped <see cref="Sequential"/> (Linear layers, each optionally followed by one
/// <see cref="ActivationLayer"/>): the same GEMMs and kernels as the layer-by-layer forward, so the same bits, without its
/// per-call arrays. Each activation runs in place on its Linear's output, and every hidden output, which only the next
/// Linear reads, goes to a buffer the model keeps between calls; only the returned output is a new array.
/// </summary>
/// <remarks>
/// Why: at batch 1024 one 784-256-256-10 forward allocated four 1 MiB arrays (two Linear outputs, two activation outputs).
/// Large arrays come from the large-object heap, whose fresh pages fault on first write and whose budget triggers full
/// collections; mlp-infer-parts measured that allocation at a tenth of the forward's time. The buffers are taken out of
/// the model for the duration of a call (an atomic exchange), so concurrent calls on one model stay correct: a second
/// caller finds none and allocates its own.
/// </remarks>
internal sealed class SequentialInference
{
    private float[][]? _buffers;

    /// <summary>The Linear/activation pairs, or null when the layers do not have the MLP shape.</summary>
    public static SequentialInference? For(Module[] layers)
    {
        if (layers.Length == 0 || layers[0] is not Linear) return null;
        int width = ((Linear)layers[0]).InFeatures;
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is Linear linear)
            {
                // Widths that do not chain are left to the layer-by-layer forward, which reports them.
                if (linear.InFeatures != width) return null;
                width = linear.OutFeatures;
                continue;
            }
            if (layers[i] is ActivationLayer && layers[i - 1] is Linear) continue;
            return null;
        }
        return new SequentialInference();
    }

    /// <summary>
    /// y = the layers applied to <paramref name="x"/> when nothing is recorded (inside NoGrad), no layer has hooks and x is a
    /// [batch, in] matrix; otherwise null, and the caller runs the layers one by one.
    /// </summary>
    public Tensor? TryRun(Module[] layers, Tensor x)
    {
        if (Autograd.IsEnabled || x.Rank != 2 || x.Size(1) != ((Linear)layers[0]).InFeatures || x.Size(0) == 0) return null;
        foreach (var layer in layers) if (layer.HasHooks) return null;
        int rows = x.Size(0);
        var buffers = Interlocked.Exchange(ref _buffers, null) ?? [];
        int linears = layers.Count(l => l is Linear);
        if (buffers.Length < linears - 1) Array.Resize(ref buffers, linears - 1);

        ReadOnlySpan<float> input = x.Contiguous().AsReadOnlySpan();
        float[] output = [];
        int step = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            var linear = (Linear)layers[i];
            int n = linear.OutFeatures;
            bool last = i == layers.Length - 1 || (i == layers.Length - 2 && layers[^1] is ActivationLayer);
            if (last) output = GC.AllocateUninitializedArray<float>(rows * n);
            else if (buffers[step] is not { } b || b.Length < rows * n) buffers[step] = output = GC.AllocateUninitializedArray<float>(rows * n);
            else output = buffers[step];
            var y = output.AsSpan(0, rows * n);
            LinearInto(linear, input, rows, y);
            if (i + 1 < layers.Length && layers[i + 1] is ActivationLayer act)
            {
                act.Activation.Forward(y, y); // in place: the same bits as into a separate array
                i++;
            }
            input = y;
            step++;
        }
        Volatile.Write(ref _buffers, buffers);
        return Tensor.FromArray(output, rows, ((Linear)layers[^(layers[^1] is ActivationLayer ? 2 : 1)]).OutFeatures);
    }

    // Ops.Linear's arithmetic: bias rows first, then the GEMM with beta = 1 and the weight read transposed in place.
    private static void LinearInto(Linear linear, ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        int inF = linear.InFeatures, outF = linear.OutFeatures;
        float beta = 0f;
        if (linear.Bias is { } bias)
        {
            var b = bias.Contiguous().AsReadOnlySpan();
            for (int r = 0; r < rows; r++) b.CopyTo(y.Slice(r * outF, outF));
            beta = 1f;
        }
        Gemm.Sgemm(false, true, rows, outF, inF, 1f, x, inF, linear.Weight.Contiguous().AsReadOnlySpan(), inF, beta, y, outF);
    }
}
