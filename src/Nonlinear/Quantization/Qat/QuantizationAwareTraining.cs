using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// Turns a feed-forward model into its quantization-aware form (torch.ao.quantization.prepare_qat's role): every Linear
/// becomes a <see cref="QatLinear"/> and every Conv2d (min-max schemes) a <see cref="QatConv2d"/> sharing its parameters;
/// activations, learnable units, max pooling, Dropout, Flatten and the CNN kind's image reshape stay.
/// Per <see cref="QatSpec"/>, with L Linear layers:
/// <list type="bullet">
/// <item>min-max B bits: layer inputs quantized at B bits by <see cref="FakeQuantize"/>, weights per channel at B bits,
/// each non-last layer's output at 8 bits (where the int8 path requantizes its accumulator). At 8 bits this is
/// exactly the int8 inference pipeline, which <see cref="QatConverter"/> then builds with the trained ranges.</item>
/// <item>lsq:B: weights and layer inputs with learned steps (<see cref="LsqQuantizer"/>, signed), no output quantizer.</item>
/// <item>binary / ternary: XNOR-Net / TWN weights and sign / ternary layer inputs.</item>
/// </list>
/// As in the low-bit literature (XNOR-Net, DoReFa, LSQ), the network input is quantized at 8 bits and the last layer's
/// weights at 8 bits whatever B is: binarizing raw pixels or the logits' weights loses what the rest cannot recover.
/// </summary>
public static class QuantizationAwareTraining
{
    /// <summary>The quantization-aware version of <paramref name="model"/> (a Sequential, or a single Linear).</summary>
    /// <exception cref="InvalidInputException">A layer QAT does not cover (convolution, normalisation, KAN, …), or no Linear layer.</exception>
    public static Module Prepare(Module model, QatSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var children = model is Sequential s ? Enumerable.Range(0, s.Count).Select(i => s[i]).ToArray() : [model];
        for (int i = 0; i < children.Length; i++)
        {
            if (children[i] is not (Linear or Conv2d or MaxPool2d or Nonlinear.Models.CnnKind.ToImage or ActivationLayer or LearnableActivation or Dropout or Flatten))
                throw new InvalidInputException($"quantization-aware training covers Linear and Conv2d layers, max pooling, activations, learnable units, Dropout and Flatten; layer '{i}' is a {children[i].GetType().Name}.", nameof(model));
            if (children[i] is Conv2d && spec.Scheme != QatScheme.MinMax)
                throw new InvalidInputException($"--qat {spec} covers Linear layers only; a CNN trains quantization-aware with --qat 8, 4 or 2 (layer '{i}' is a Conv2d).", nameof(model));
        }
        int linears = children.Count(c => c is Linear or Conv2d);
        if (linears == 0) throw new InvalidInputException("the model has no Linear layer to train quantized.", nameof(model));
        int seen = 0;
        var mapped = children.Select(c => c switch
        {
            Linear l => Wrap(l, spec, seen++, linears),
            Conv2d conv => WrapConv(conv, spec, seen++, linears),
            _ => c,
        }).ToArray();
        return model is Sequential ? new Sequential(mapped) : mapped[0];
    }

    // As Wrap for the min-max scheme: the first layer's input and the last layer's weights at 8 bits, every output fake-quantized.
    private static QatConv2d WrapConv(Conv2d c, QatSpec spec, int index, int count)
    {
        bool first = index == 0, last = index == count - 1;
        return new QatConv2d(c, new PerChannelWeightQuantizer(last ? 8 : spec.Bits), new FakeQuantize(first ? 8 : spec.Bits), last ? null : new FakeQuantize(8));
    }

    private static QatLinear Wrap(Linear l, QatSpec spec, int index, int count)
    {
        bool first = index == 0, last = index == count - 1;
        int b = spec.Bits;
        Module? input = first && spec.Scheme != QatScheme.Lsq ? new FakeQuantize(8) : spec.Scheme switch
        {
            QatScheme.MinMax => new FakeQuantize(b),
            QatScheme.Lsq => new LsqQuantizer(first ? 8 : b, signed: true),
            QatScheme.Binary => new BinaryActivationQuantizer(),
            _ => new TernaryActivationQuantizer(),
        };
        Module weight = last && spec.Scheme != QatScheme.Lsq ? new PerChannelWeightQuantizer(8) : spec.Scheme switch
        {
            QatScheme.MinMax => new PerChannelWeightQuantizer(b),
            QatScheme.Lsq => new LsqQuantizer(last ? 8 : b, signed: true, LsqTarget.Weights, l.OutFeatures),
            QatScheme.Binary => new BinaryWeightQuantizer(),
            _ => new TernaryWeightQuantizer(),
        };
        Module? output = spec.Scheme == QatScheme.MinMax && !last ? new FakeQuantize(8) : null;
        return new QatLinear(l, weight, input, output);
    }
}
