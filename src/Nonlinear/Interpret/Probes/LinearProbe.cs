using Nonlinear.Autodiff;
using Nonlinear.Interpret.Capture;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Probes;

/// <summary>The accuracy of a probe on the inputs it was fitted on and on held-out inputs.</summary>
public sealed record ProbeResult(string Layer, double TrainAccuracy, double TestAccuracy, int TrainRows, int TestRows, LinearProbe Probe);

/// <summary>
/// A linear probe (Alain and Bengio 2016, arXiv:1610.01644): multinomial logistic regression from a layer's units to
/// the class, fitted by <see cref="Lbfgs"/> on mean cross-entropy + λ/2·‖W‖² (sklearn's LogisticRegression with
/// multi_class="multinomial", C = 1/(λ·n)). How well it predicts on held-out inputs says how linearly readable the
/// class is at that layer.
/// </summary>
public sealed class LinearProbe
{
    private readonly float[] _w, _b, _mean, _scale;

    private LinearProbe(int units, int classes, float[] w, float[] b, float[] mean, float[] scale)
    {
        Units = units;
        Classes = classes;
        _w = w;
        _b = b;
        _mean = mean;
        _scale = scale;
    }

    /// <summary>Inputs per row.</summary>
    public int Units { get; }
    /// <summary>Classes.</summary>
    public int Classes { get; }
    /// <summary>Weights W[u, c] (row-major units × classes) acting on the standardised units.</summary>
    public IReadOnlyList<float> Weights => _w;
    /// <summary>Bias per class.</summary>
    public IReadOnlyList<float> Bias => _b;
    /// <summary>The standardisation x' = (x − mean)·scale per unit (mean 0 and scale 1 without standardisation).</summary>
    public (IReadOnlyList<float> Mean, IReadOnlyList<float> Scale) Standardization => (_mean, _scale);
    /// <summary>Loss (mean cross-entropy + penalty) at the end of fitting.</summary>
    public double FinalLoss { get; private init; }

    /// <summary>Fits a probe on row-major <paramref name="x"/> (rows × units) with one label per row.</summary>
    /// <exception cref="ArgumentException">Sizes disagree or a label is outside [0, classes).</exception>
    public static LinearProbe Fit(ReadOnlySpan<float> x, int units, ReadOnlySpan<int> labels, int classes, ProbeOptions? options = null)
    {
        options ??= new ProbeOptions();
        options.Validate();
        int rows = labels.Length;
        if (units < 1 || (long)rows * units != x.Length) throw new ArgumentException($"x has {x.Length} values; expected {rows} rows × {units} units.", nameof(x));
        if (classes < 2) throw new InvalidInputException($"a probe needs at least 2 classes; got {classes}.", nameof(classes));
        foreach (int l in labels) if (l < 0 || l >= classes) throw new ArgumentException($"label {l} is outside [0, {classes}).", nameof(labels));
        var (mean, scale) = options.Standardize ? Standardizer(x, rows, units) : (new float[units], Enumerable.Repeat(1f, units).ToArray());
        var xs = new float[x.Length];
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < units; u++) xs[r * units + u] = (x[r * units + u] - mean[u]) * scale[u];
        var X = Tensor.FromArray(xs, rows, units);
        var W = Tensor.Zeros(units, classes);
        var B = Tensor.Zeros(classes);
        W.RequiresGrad = B.RequiresGrad = true;
        var target = labels.ToArray();
        float half = (float)(options.L2 / 2);
        double Closure()
        {
            W.Grad = null;
            B.Grad = null;
            var loss = Loss.CrossEntropy(X.MatMul(W) + B, target);
            if (half > 0) loss = loss + (W * W).Sum() * half;
            loss.Backward();
            return loss.Item();
        }
        var opt = new Lbfgs([W, B], new LbfgsOptions(MaxIterations: options.MaxIterations, ToleranceGrad: 1e-6, HistorySize: 20));
        opt.Step(Closure);
        double final;
        using (Autograd.NoGrad()) final = Closure0(X, W, B, target, half);
        return new LinearProbe(units, classes, W.AsReadOnlySpan().ToArray(), B.AsReadOnlySpan().ToArray(), mean, scale) { FinalLoss = final };
    }

    private static double Closure0(Tensor x, Tensor w, Tensor b, int[] target, float half)
    {
        var loss = Loss.CrossEntropy(x.MatMul(w) + b, target);
        return half > 0 ? (loss + (w * w).Sum() * half).Item() : loss.Item();
    }

    // Mean and 1/std per unit in double; a constant unit gets scale 0 so it contributes nothing rather than NaN.
    private static (float[] Mean, float[] Scale) Standardizer(ReadOnlySpan<float> x, int rows, int units)
    {
        var sum = new double[units];
        for (int r = 0; r < rows; r++) for (int u = 0; u < units; u++) sum[u] += x[r * units + u];
        var mean = new double[units];
        for (int u = 0; u < units; u++) mean[u] = rows == 0 ? 0 : sum[u] / rows;
        var ss = new double[units];
        for (int r = 0; r < rows; r++) for (int u = 0; u < units; u++) { double d = x[r * units + u] - mean[u]; ss[u] += d * d; }
        var scale = new float[units];
        for (int u = 0; u < units; u++) { double sd = rows == 0 ? 0 : Math.Sqrt(ss[u] / rows); scale[u] = sd > 1e-12 ? (float)(1 / sd) : 0f; }
        return (mean.Select(m => (float)m).ToArray(), scale);
    }

    /// <summary>The predicted class of each row of <paramref name="x"/> (ties: the smaller class).</summary>
    public int[] Predict(ReadOnlySpan<float> x)
    {
        if (x.Length % Units != 0) throw new ArgumentException($"x has {x.Length} values; expected a multiple of {Units} units.", nameof(x));
        int rows = x.Length / Units;
        var result = new int[rows];
        var logits = new double[Classes];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < Classes; c++) logits[c] = _b[c];
            for (int u = 0; u < Units; u++)
            {
                double v = (x[r * Units + u] - _mean[u]) * _scale[u];
                if (v == 0) continue;
                for (int c = 0; c < Classes; c++) logits[c] += v * _w[u * Classes + c];
            }
            int best = 0;
            for (int c = 1; c < Classes; c++) if (logits[c] > logits[best]) best = c;
            result[r] = best;
        }
        return result;
    }

    /// <summary>Fraction of rows whose prediction equals the label.</summary>
    public double Accuracy(ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        var p = Predict(x);
        if (p.Length != labels.Length) throw new ArgumentException($"{p.Length} rows but {labels.Length} labels.", nameof(labels));
        int hit = 0;
        for (int i = 0; i < p.Length; i++) if (p[i] == labels[i]) hit++;
        return p.Length == 0 ? double.NaN : (double)hit / p.Length;
    }

    /// <summary>
    /// Splits the inputs of <paramref name="layer"/> (not its rows: all positions of an input stay on one side) into train
    /// and test by a seeded shuffle, fits on train and reports both accuracies. <paramref name="labels"/> has one label per input.
    /// </summary>
    public static ProbeResult TrainTest(ActivationMatrix layer, IReadOnlyList<int> labels, int classes, ProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new ProbeOptions();
        options.Validate();
        int inputs = layer.Rows / layer.RowsPerInput;
        if (labels.Count != inputs) throw new ArgumentException($"{labels.Count} labels for {inputs} inputs of {layer.Name}.", nameof(labels));
        var order = Enumerable.Range(0, inputs).ToArray();
        new Rng(options.Seed).Shuffle(order.AsSpan());
        if (inputs < 2) throw new InvalidInputException($"a train/test probe needs at least 2 inputs; {layer.Name} has {inputs}.", nameof(layer));
        int test = Math.Clamp((int)Math.Round(inputs * options.TestFraction), 1, inputs - 1);
        var (xTest, yTest) = Rows(layer, labels, order.AsSpan(0, test));
        var (xTrain, yTrain) = Rows(layer, labels, order.AsSpan(test));
        var probe = Fit(xTrain, layer.Units, yTrain, classes, options);
        return new ProbeResult(layer.Name, probe.Accuracy(xTrain, yTrain), probe.Accuracy(xTest, yTest), yTrain.Length, yTest.Length, probe);
    }

    private static (float[] X, int[] Y) Rows(ActivationMatrix layer, IReadOnlyList<int> labels, ReadOnlySpan<int> inputs)
    {
        int per = layer.RowsPerInput, units = layer.Units;
        var x = new float[(long)inputs.Length * per * units];
        var y = new int[inputs.Length * per];
        for (int k = 0; k < inputs.Length; k++)
        {
            layer.Values.AsSpan(inputs[k] * per * units, per * units).CopyTo(x.AsSpan(k * per * units));
            y.AsSpan(k * per, per).Fill(labels[inputs[k]]);
        }
        return (x, y);
    }
}
