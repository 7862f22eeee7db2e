using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// Builds the int8 <see cref="QuantizedModel"/> of a network trained with <c>QatSpec</c> "8" (torch.ao.quantization.convert's
/// role): no calibration — each layer's input and output scale and zero point are the ranges its <see cref="FakeQuantize"/>
/// observers learned, and the weights quantize exactly as the fake quantizer did (per-channel symmetric int8), so the
/// int8 model computes what training simulated. Where training quantized a point the int8 path has too (every Linear's
/// input and output), the codes are those of the fake quantizer up to float summation order and the int8 path's
/// rounding of the bias to the accumulator's grid (s_x·s_w); activations become lookup tables from the observed output
/// range of one Linear to the observed input range of the next. Bias correction and calibration do not apply.
/// </summary>
public static class QatConverter
{
    /// <summary>
    /// The int8 model of <paramref name="model"/>, a Sequential prepared with an 8-bit min-max <see cref="QatSpec"/> and
    /// trained: an MLP, or the CNN kind (its image reshape, <see cref="QatConv2d"/>s, activations, max pools, Flatten).
    /// </summary>
    /// <exception cref="InvalidInputException">Not an 8-bit min-max QAT model, a quantizer that observed nothing (no training step), or a layer the int8 path does not cover.</exception>
    public static QuantizedModel ToQuantizedModel(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var children = model is Sequential s ? Enumerable.Range(0, s.Count).Select(i => s[i]).Where(m => m is not (Dropout or Flatten)).ToArray() : [model];
        var layers = new List<QuantizedLayer>();
        var pending = new List<Module>(); // activations since the last Linear or convolution
        var pools = new List<(MaxPool2d Pool, ImageShape Shape)>();
        ActivationQuantization? previousOutput = null;
        bool any = false;
        int width = 0;
        ImageShape? image = null;   // while rows are images: the sample's shape

        // Between two layers with an int8 GEMM: the activation as a table into this layer's input codes, then the max pools on those codes.
        void Flush(ActivationQuantization input)
        {
            // The activation runs before the pools, on the shape the first pool received.
            if (any) AddActivations(layers, pending, pools.Count > 0 ? pools[0].Shape.Features : width, pools.Count > 0 ? pools[0].Shape : image, previousOutput!.Value, input);
            foreach (var (pool, shape) in pools) layers.Add(new QuantizedMaxPool2d(shape.Channels, shape.Height, shape.Width, pool.Window, input));
            pending.Clear();
            pools.Clear();
        }

        foreach (var m in children)
        {
            switch (m)
            {
                case Nonlinear.Models.CnnKind.ToImage t when !any:
                    image = new ImageShape(1, t.Side, t.Side);
                    width = image.Value.Features;
                    break;
                case QatLinear q:
                    var input = Int8(q.InputQuantizer as FakeQuantize, "input");
                    Flush(input);
                    if (q.WeightQuantizer is not PerChannelWeightQuantizer { Bits: 8 })
                        throw new InvalidInputException($"the int8 path needs 8-bit per-channel weights; this layer's weights use {q.WeightQuantizer.GetType().Name}.", nameof(model));
                    Append(layers, q);
                    (previousOutput, any, width, image) = (q.OutputQuantizer is null ? null : Int8(q.OutputQuantizer as FakeQuantize, "output"), true, q.OutFeatures, null);
                    break;
                case QatConv2d c when image is { } shape:
                    var cin = Int8(c.InputQuantizer as FakeQuantize, "input");
                    Flush(cin);
                    if (c.WeightQuantizer is not PerChannelWeightQuantizer { Bits: 8 })
                        throw new InvalidInputException($"the int8 path needs 8-bit per-channel weights; this layer's weights use {c.WeightQuantizer.GetType().Name}.", nameof(model));
                    var cout = Int8(c.OutputQuantizer as FakeQuantize, "output");
                    var (codes, scales) = QuantizedLinear.QuantizeWeights(c.Weight.Contiguous().AsReadOnlySpan(), c.OutChannels, c.InChannels * c.Window.Taps);
                    var conv = new QuantizedConv2d(codes, scales, c.Bias?.ToArray() ?? new float[c.OutChannels], shape.Channels, shape.Height, shape.Width, c.Window, cin, cout);
                    layers.Add(conv);
                    (previousOutput, any, image) = (cout, true, new ImageShape(conv.OutChannels, conv.OutHeight, conv.OutWidth));
                    width = image.Value.Features;
                    break;
                case MaxPool2d p when any && image is { } before:
                    var (oh, ow) = p.Window.OutputSize(before.Height, before.Width);
                    pools.Add((p, before));
                    image = new ImageShape(before.Channels, oh, ow);
                    width = image.Value.Features;
                    break;
                case ActivationLayer or LearnableActivation:
                    if (!any) throw new InvalidInputException("the int8 path needs the model to start with a Linear or Conv2d layer.", nameof(model));
                    if (pools.Count > 0) throw new InvalidInputException("the int8 path takes max pooling after the activation, not before it.", nameof(model));
                    pending.Add(m);
                    break;
                default:
                    throw new InvalidInputException($"only a model prepared for 8-bit QAT (QatLinear, QatConv2d, activations, max pooling) converts to int8; found a {m.GetType().Name}. Use PostTrainingQuantizer for a float model.", nameof(model));
            }
        }
        if (!any || pending.Count > 0 || pools.Count > 0 || children[^1] is not QatLinear last || last.OutputQuantizer is not null)
            throw new InvalidInputException("the int8 path needs a model that ends with a Linear layer (its float logits).", nameof(model));
        return new QuantizedModel(layers);
    }

    private static void Append(List<QuantizedLayer> layers, QatLinear q)
    {
        var w = q.Weight.Contiguous().AsReadOnlySpan();
        var (codes, scales) = QuantizedLinear.QuantizeWeights(w, q.OutFeatures, q.InFeatures);
        var bias = q.Bias?.ToArray() ?? new float[q.OutFeatures];
        var output = q.OutputQuantizer is null ? (ActivationQuantization?)null : Int8(q.OutputQuantizer as FakeQuantize, "output");
        layers.Add(new QuantizedLinear(codes, scales, bias, q.InFeatures, Int8(q.InputQuantizer as FakeQuantize, "input"), output));
    }

    // Between two layers: one activation as its table; none as a requantizing table; more than one has no observed range
    // in between, so it is refused. On image rows a learnable unit's channels are NCHW channels, which a table indexed by
    // feature cannot follow, so only a unit whose channels all share one table is taken there.
    private static void AddActivations(List<QuantizedLayer> layers, List<Module> pending, int width, ImageShape? image, ActivationQuantization input, ActivationQuantization output)
    {
        switch (pending.Count)
        {
            case 0:
                var table = new byte[256];
                for (int c = 0; c < 256; c++) table[c] = output.Quantize(input.Dequantize(c));
                layers.Add(new QuantizedActivation("requantize", width, table, input, output));
                break;
            case 1 when pending[0] is ActivationLayer a:
                layers.Add(new QuantizedActivation(a.Activation.ToString(), width, ActivationTables.Build(a.Activation, input, output), input, output));
                break;
            case 1:
                var unit = pending[0];
                int channels = image?.Channels ?? width;
                var tables = ActivationTables.Build(unit, channels, input, output);
                bool shared = Enumerable.Range(1, channels - 1).All(c => tables.AsSpan(c * 256, 256).SequenceEqual(tables.AsSpan(0, 256)));
                if (!shared && image is not null)
                    throw new InvalidInputException($"the int8 path after a convolution takes activations with one table for all channels; '{unit.GetType().Name.ToLowerInvariant()}' has per-channel parameters that differ.", "model");
                layers.Add(new QuantizedActivation(unit.GetType().Name.ToLowerInvariant(), width, shared ? tables[..256] : tables, input, output));
                break;
            default:
                throw new InvalidInputException($"{pending.Count} activations in a row have no quantized range between them; the int8 path takes one activation between Linear layers.", "model");
        }
    }

    private static ActivationQuantization Int8(FakeQuantize? q, string which)
    {
        if (q is not { Bits: 8 }) throw new InvalidInputException($"the int8 path needs an 8-bit {which} quantizer on every Linear layer (train with --qat 8).", "model");
        if (!q.Observed) throw new InvalidInputException($"a Linear layer's {which} quantizer has observed no training batch, so it has no range; train at least one step first.", "model");
        return q.Quantization;
    }
}
