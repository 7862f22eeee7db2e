using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// A Linear layer trained with fake quantization: y = q_out(q_in(x)·q_w(W)ᵀ + b), each quantizer a module (or absent).
/// It owns the original layer's weight and bias under the same names ("weight", "bias"), so a model's state-dict keys
/// stay those of the float model plus the quantizers' state ("input_quant.min_val", "weight_quant.step", …).
/// </summary>
public sealed class QatLinear : Module
{
    /// <summary>Wraps <paramref name="linear"/>'s parameters (shared, not copied).</summary>
    /// <param name="linear">The float layer.</param>
    /// <param name="weightQuantizer">Maps W [out, in] to its fake-quantized form.</param>
    /// <param name="inputQuantizer">Applied to the input, or null to keep it float.</param>
    /// <param name="outputQuantizer">Applied to the output (the int8 path's requantized accumulator), or null.</param>
    public QatLinear(Linear linear, Module weightQuantizer, Module? inputQuantizer, Module? outputQuantizer)
    {
        ArgumentNullException.ThrowIfNull(linear);
        ArgumentNullException.ThrowIfNull(weightQuantizer);
        (InFeatures, OutFeatures) = (linear.InFeatures, linear.OutFeatures);
        Weight = RegisterParameter("weight", linear.Weight);
        if (linear.Bias is { } b) Bias = RegisterParameter("bias", b);
        WeightQuantizer = RegisterModule("weight_quant", weightQuantizer);
        if (inputQuantizer is not null) InputQuantizer = RegisterModule("input_quant", inputQuantizer);
        if (outputQuantizer is not null) OutputQuantizer = RegisterModule("output_quant", outputQuantizer);
    }

    /// <summary>Full-precision weight [out, in] (what the optimiser updates).</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input width.</summary>
    public int InFeatures { get; }
    /// <summary>Output width.</summary>
    public int OutFeatures { get; }
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
        if (x.Rank != 2 || x.Size(1) != InFeatures)
            throw new ArgumentException($"QatLinear expects input [B, {InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var xq = InputQuantizer?.Call(x) ?? x;
        var y = Ops.Linear(xq, WeightQuantizer.Call(Weight), Bias);
        return OutputQuantizer?.Call(y) ?? y;
    }

    /// <summary>The weight as the network uses it (fake-quantized), without recording gradients.</summary>
    public Tensor QuantizedWeight()
    {
        using var _ = Nonlinear.Autodiff.Autograd.NoGrad();
        return WeightQuantizer.Call(Weight);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={PyBool(Bias is not null)}";
}
