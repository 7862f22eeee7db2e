using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// Post-training static quantization of a feed-forward model (Linear layers, the CNN kind's Conv2d and MaxPool2d,
/// catalog activations, learnable units, BatchNorm1d folded, Dropout/Flatten dropped): per-channel symmetric int8 weights, per-tensor asymmetric uint8
/// activations calibrated on sample inputs, every activation as a lookup table. The steps, in order:
/// BatchNorm folding, optional cross-layer equalization (Nagel et al. 2019), one float pass over the calibration
/// rows observing the input of the network and the output of every layer, a range per observed tensor from the
/// calibration method (a max pool keeps its input's), then per Linear or convolution the weight quantization and (optionally) empirical bias correction:
/// b′ = b − (W_dq − W)·E[x], with E[x] the layer's mean float input over the calibration rows (Nagel et al. §4.2).
/// The model itself is not modified.
/// </summary>
public static class PostTrainingQuantizer
{
    /// <summary>Quantizes <paramref name="model"/>, calibrating on the rows of <paramref name="calibration"/> [N, features].</summary>
    /// <exception cref="InvalidInputException">A layer that is not covered, or --equalize over a non-homogeneous activation.</exception>
    /// <exception cref="ArgumentException">The calibration tensor is empty, not [N, features], or produces non-finite values.</exception>
    public static QuantizedModel Quantize(Module model, Tensor calibration, PtqOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calibration);
        options ??= new PtqOptions();
        if (calibration.Rank != 2 || calibration.Size(0) == 0)
            throw new ArgumentException($"calibration data must be [N ≥ 1, features]; got {Shapes.Format(calibration.Shape)}.", nameof(calibration));
        if (options.BatchSize < 1) throw new ArgumentException($"batch size must be ≥ 1; got {options.BatchSize}.", nameof(options));
        int rows = calibration.Size(0), features = calibration.Size(1);
        var net = FloatNetwork.From(model, features);
        if (options.Equalize) CrossLayerEqualization.Apply(net);

        // Observe every point: values for the histograms, per-feature sums for the bias correction's E[x].
        int points = net.Stages.Count + 1;
        var values = new List<float>[points];
        var sums = new double[points][];
        for (int p = 0; p < points; p++) values[p] = [];
        var data = calibration.Contiguous().ToArray();
        for (int r0 = 0; r0 < rows; r0 += options.BatchSize)
        {
            int n = Math.Min(options.BatchSize, rows - r0);
            var batch = Tensor.FromArray(data.AsSpan(r0 * features, n * features).ToArray(), n, features);
            net.Forward(batch, (p, t) =>
            {
                var v = t.Contiguous().ToArray();
                values[p].AddRange(v);
                int w = t.Size(1);
                sums[p] ??= new double[w];
                for (int i = 0; i < v.Length; i++) sums[p][i % w] += v[i];
            });
        }
        var quant = new ActivationQuantization[points];
        // reduce_range cuts only what an int8 GEMM reads (a Linear's or a convolution's input, possibly through max
        // pools, which keep their input's quantization) to 7 bits; table inputs keep 8.
        for (int p = 0; p < points - 1; p++)
            quant[p] = p > 0 && net.Stages[p - 1] is FloatMaxPool ? quant[p - 1]
                : options.Method.Parameters(CalibrationHistogram.From(values[p].ToArray()), options.ReduceRange && ReadByGemm(net, p) ? 127 : 255);

        var layers = new List<QuantizedLayer>();
        for (int i = 0; i < net.Stages.Count; i++)
        {
            bool last = i == net.Stages.Count - 1;
            switch (net.Stages[i])
            {
                case FloatLinear l:
                    var (codes, scales) = QuantizedLinear.QuantizeWeights(l.Weight, l.Out, l.In);
                    var bias = options.BiasCorrection ? CorrectBias(l, codes, scales, sums[i], rows) : l.Bias;
                    layers.Add(new QuantizedLinear(codes, scales, bias, l.In, quant[i], last ? null : quant[i + 1]));
                    break;
                case FloatConv c:
                    var m = c.Matrix;
                    var (cc, cs) = QuantizedLinear.QuantizeWeights(m.Weight, m.Out, m.In);
                    var cb = options.BiasCorrection ? CorrectBias(m, cc, cs, ColumnSums(c, sums[i]), rows) : m.Bias;
                    var shape = c.InputShape;
                    layers.Add(new QuantizedConv2d(cc, cs, cb, shape.Channels, shape.Height, shape.Width, c.Window, quant[i], quant[i + 1]));
                    break;
                case FloatMaxPool mp:
                    layers.Add(new QuantizedMaxPool2d(mp.InputShape.Channels, mp.InputShape.Height, mp.InputShape.Width, mp.Window, quant[i]));
                    break;
                case FloatActivation a:
                    var table = a.Fixed is not null
                        ? ActivationTables.Build(a.Fixed, quant[i], quant[i + 1])
                        : ActivationTables.Build(a.Unit!, a.Image?.Channels ?? a.Features, quant[i], quant[i + 1]);
                    table = Collapse(table, table.Length / 256);
                    // A per-channel table indexes features modulo its channel count: right for [B, F] rows, not for NCHW rows.
                    if (a.Image is not null && table.Length != 256)
                        throw new InvalidInputException($"int8 quantization after a convolution covers activations with one table for all channels; '{a.Name}' has per-channel parameters that differ.", nameof(model));
                    layers.Add(new QuantizedActivation(a.Name, a.Features, table, quant[i], quant[i + 1]));
                    break;
            }
        }
        return new QuantizedModel(layers);
    }

    // b′_j = b_j − Σ_k (s_j·W_q[j, k] − W[j, k])·E[x_k].
    internal static float[] CorrectBias(FloatLinear l, sbyte[] codes, float[] scales, double[] inputSums, int rows)
    {
        var b = (float[])l.Bias.Clone();
        for (int j = 0; j < l.Out; j++)
        {
            double delta = 0;
            for (int k = 0; k < l.In; k++)
                delta += ((double)scales[j] * codes[j * l.In + k] - l.Weight[j * l.In + k]) * (inputSums[k] / rows);
            b[j] = (float)(b[j] - delta);
        }
        return b;
    }

    // Whether point p (the input of stage p) is read by an int8 GEMM, directly or through max pools.
    private static bool ReadByGemm(FloatNetwork net, int p)
    {
        while (p < net.Stages.Count && net.Stages[p] is FloatMaxPool) p++;
        return p < net.Stages.Count && net.Stages[p] is FloatLinear or FloatConv;
    }

    // E[x] per column of a convolution's GEMM matrix, as sums over the calibration rows: column (c, ky, kx) reads
    // channel c, whose mean over positions stands for the patch value (border padding, a few taps, is neglected).
    private static double[] ColumnSums(FloatConv c, double[] featureSums)
    {
        var shape = c.InputShape;
        int taps = c.Window.Taps;
        var columns = new double[shape.Channels * taps];
        for (int ch = 0; ch < shape.Channels; ch++)
        {
            double sum = 0;
            for (int p = 0; p < shape.Positions; p++) sum += featureSums[ch * shape.Positions + p];
            for (int t = 0; t < taps; t++) columns[ch * taps + t] = sum / shape.Positions;
        }
        return columns;
    }

    // A per-channel table whose channels are all equal (a shared-parameter unit) is stored once.
    private static byte[] Collapse(byte[] tables, int channels)
    {
        if (tables.Length == 256) return tables;
        for (int c = 1; c < channels; c++)
            if (!tables.AsSpan(c * 256, 256).SequenceEqual(tables.AsSpan(0, 256))) return tables;
        return tables[..256];
    }
}
