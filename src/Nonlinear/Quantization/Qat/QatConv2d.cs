using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// A Conv2d trained with fake quantization: y = q_out(conv(q_in(x), q_w(W)) + b), the counterpart of
/// <see cref="QatLinear"/> for the CNN kind. The weight quantizer sees W as the GEMM matrix [out, in·kh·kw], so its
/// per-channel scales are those of <see cref="QuantizedConv2d"/>'s output channels. The original layer's "weight" and
/// "bias" keep their names.
/// </summary>
public sealed class QatConv2d : Module
{
    /// <summary>Wraps <paramref name="conv"/>'s parameters (shared, not copied).</summary>
    /// <param name="conv">The float layer.</param>
    /// <param name="weightQuantizer">Maps W [out, in·kh·kw] to its fake-quantized form.</param>
    /// <param name="inputQuantizer">Applied to the input, or null to keep it float.</param>
    /// <param name="outputQuantizer">Applied to the output, or null.</param>
    public QatConv2d(Conv2d conv, Module weightQuantizer, Module? inputQuantizer, Module? outputQuantizer)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(weightQuantizer);
        Window = conv.Window;
        Weight = RegisterParameter("weight", conv.Weight);
        if (conv.Bias is { } b) Bias = RegisterParameter("bias", b);
        WeightQuantizer = RegisterModule("weight_quant", weightQuantizer);
        if (inputQuantizer is not null) InputQuantizer = RegisterModule("input_quant", inputQuantizer);
        if (outputQuantizer is not null) OutputQuantizer = RegisterModule("output_quant", outputQuantizer);
    }

    /// <summary>Full-precision weight [out, in, kh, kw].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Kernel, stride, padding, dilation.</summary>
    public Window2d Window { get; }
    /// <summary>Input channels.</summary>
    public int InChannels => Weight.Size(1);
    /// <summary>Output channels.</summary>
    public int OutChannels => Weight.Size(0);
    /// <summary>The weight quantizer.</summary>
    public Module WeightQuantizer { get; }
    /// <summary>The input quantizer, or null.</summary>
    public Module? InputQuantizer { get; }
    /// <summary>The output quantizer, or null.</summary>
    public Module? OutputQuantizer { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var xq = InputQuantizer?.Call(x) ?? x;
        var y = Ops.Conv2d(xq, QuantizedWeightTracked(), Bias, Window);
        return OutputQuantizer?.Call(y) ?? y;
    }

    private Tensor QuantizedWeightTracked()
    {
        var matrix = Ops.Reshape(Weight, OutChannels, InChannels * Window.Taps);
        return Ops.Reshape(WeightQuantizer.Call(matrix), OutChannels, InChannels, Window.KernelH, Window.KernelW);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_channels={InChannels}, out_channels={OutChannels}, {Window}, bias={PyBool(Bias is not null)}";
}
