using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// Any activation on uint8 codes as a 256-entry lookup table: table[q] = quantize_out(f(dequantize_in(q))). A lookup
/// costs the same for every activation, so all catalog entries (and trained learnable units, frozen) run quantized at
/// ReLU's price. Catalog entries are tabulated from their double-precision reference, so each entry is the correctly
/// rounded code of the exact function at that input; learnable units, which have no double reference, from their float
/// forward (one table per parameter set).
/// </summary>
public static class ActivationTables
{
    /// <summary>The table of <paramref name="activation"/> from <paramref name="input"/> codes to <paramref name="output"/> codes.</summary>
    public static byte[] Build(Activation activation, ActivationQuantization input, ActivationQuantization output)
    {
        ArgumentNullException.ThrowIfNull(activation);
        var table = new byte[256];
        for (int q = 0; q < 256; q++) table[q] = output.Quantize(activation.Reference(input.Dequantize(q)));
        return table;
    }

    /// <summary>
    /// Tables [channels, 256] of an elementwise module (a learnable unit), evaluated in float on every code of every
    /// channel; <paramref name="channels"/> is the width the unit is applied to (its parameter sets repeat over it).
    /// </summary>
    /// <exception cref="ArgumentException">The module does not map [256, channels] to the same shape.</exception>
    public static byte[] Build(Module unit, int channels, ActivationQuantization input, ActivationQuantization output)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (channels < 1) throw new ArgumentException($"channels must be ≥ 1; got {channels}.", nameof(channels));
        var x = new float[256 * channels];
        for (int q = 0; q < 256; q++)
            for (int c = 0; c < channels; c++) x[q * channels + c] = (float)input.Dequantize(q);
        float[] y;
        bool training = unit.IsTraining;
        unit.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            var t = unit.Call(Tensor.FromArray(x, 256, channels));
            if (!t.Shape.SequenceEqual([256, channels]))
                throw new ArgumentException($"{unit.GetType().Name} is not elementwise: [256, {channels}] became {Shapes.Format(t.Shape)}.", nameof(unit));
            y = t.ToArray();
        }
        finally { if (training) unit.Train(); }
        var tables = new byte[channels * 256];
        for (int q = 0; q < 256; q++)
            for (int c = 0; c < channels; c++) tables[c * 256 + q] = output.Quantize(y[q * channels + c]);
        return tables;
    }
}
