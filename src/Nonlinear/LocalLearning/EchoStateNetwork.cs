using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// A leaky echo state network: a fixed random sparse reservoir W (CSR), rescaled so that its measured spectral radius
/// (<see cref="LocalLearning.SpectralRadius"/>) equals the target, a fixed input matrix W_in, and a linear read-out
/// fitted in closed form by ridge regression on [1; u; x]. Double precision throughout: the read-out's normal
/// equations are ill-conditioned enough that float would cost accuracy. Only the read-out learns.
/// </summary>
public sealed class EchoStateNetwork
{
    private readonly int[] _rowStart, _col;
    private readonly double[] _w, _win;
    private double[]? _readout; // [outputs, 1 + inputs + N] row-major

    /// <summary>Draws the reservoir for <paramref name="inputs"/> input channels.</summary>
    /// <exception cref="InvalidInputException">Invalid options.</exception>
    public EchoStateNetwork(int inputs, EchoStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "inputs must be ≥ 1.");
        Options = options;
        Inputs = inputs;
        int n = options.Size;
        var rng = new Rng(options.Seed);
        _win = new double[n * (inputs + 1)];
        for (int i = 0; i < _win.Length; i++) _win[i] = options.InputScaling * (2 * rng.NextDouble() - 1);
        var rows = new List<int> { 0 };
        var cols = new List<int>();
        var vals = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (rng.NextDouble() < options.Sparsity) continue;
                cols.Add(j);
                vals.Add(2 * rng.NextDouble() - 1);
            }
            rows.Add(cols.Count);
        }
        _rowStart = rows.ToArray();
        _col = cols.ToArray();
        _w = vals.ToArray();
        RawSpectralRadius = LocalLearning.SpectralRadius.Estimate(n, Multiply, options.Seed + 1);
        if (RawSpectralRadius > 0)
            for (int k = 0; k < _w.Length; k++) _w[k] *= options.SpectralRadius / RawSpectralRadius;
        SpectralRadius = LocalLearning.SpectralRadius.Estimate(n, Multiply, options.Seed + 2);
    }

    /// <summary>The options.</summary>
    public EchoStateOptions Options { get; }

    /// <summary>Input channels.</summary>
    public int Inputs { get; }

    /// <summary>Measured spectral radius of W as drawn.</summary>
    public double RawSpectralRadius { get; }

    /// <summary>Measured spectral radius of W after rescaling (≈ the target; 0 for a W that drew no entries).</summary>
    public double SpectralRadius { get; }

    /// <summary>Non-zero recurrent weights.</summary>
    public int Connections => _w.Length;

    /// <summary>Runs the reservoir from the zero state over <paramref name="inputs"/> [T, Inputs] and returns the states [T, N].</summary>
    public double[,] States(double[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.GetLength(1) != Inputs) throw new ArgumentException($"inputs must be [T, {Inputs}]; got [{inputs.GetLength(0)}, {inputs.GetLength(1)}].", nameof(inputs));
        int steps = inputs.GetLength(0), n = Options.Size, m = Inputs + 1;
        double a = Options.Leak;
        var states = new double[steps, n];
        var x = new double[n];
        var wx = new double[n];
        for (int t = 0; t < steps; t++)
        {
            Multiply(x, wx);
            for (int i = 0; i < n; i++)
            {
                double pre = wx[i] + _win[i * m];
                for (int c = 0; c < Inputs; c++) pre += _win[i * m + 1 + c] * inputs[t, c];
                x[i] = (1 - a) * x[i] + a * Math.Tanh(pre);
                states[t, i] = x[i];
            }
        }
        return states;
    }

    /// <summary>
    /// Runs the reservoir over <paramref name="inputs"/> [T, Inputs] from the zero state, fits the read-out on steps
    /// [washout, <paramref name="trainSteps"/>) to <paramref name="targets"/> [T, K], and returns the predictions for
    /// every step [T, K]: steps from trainSteps on are the held-out part, driven by the true inputs (teacher forcing).
    /// </summary>
    /// <exception cref="InvalidInputException">Fewer than 2 training steps after the washout.</exception>
    public double[,] Fit(double[,] inputs, double[,] targets, int trainSteps)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var states = States(inputs);
        int steps = inputs.GetLength(0), w = Options.Washout, k = targets.GetLength(1);
        if (targets.GetLength(0) != steps) throw new ArgumentException($"targets have {targets.GetLength(0)} rows; inputs have {steps}.", nameof(targets));
        if (trainSteps > steps || trainSteps - w < 2) throw new InvalidInputException($"{trainSteps} training steps (of {steps}) leave fewer than 2 after a washout of {w}.", nameof(trainSteps));
        var all = Features(inputs, states, 0);
        var x = new double[trainSteps - w, all.GetLength(1)];
        var y = new double[trainSteps - w, k];
        for (int t = w; t < trainSteps; t++)
        {
            for (int j = 0; j < all.GetLength(1); j++) x[t - w, j] = all[t, j];
            for (int o = 0; o < k; o++) y[t - w, o] = targets[t, o];
        }
        _readout = Ridge.Solve(x, y, Options.Ridge);
        return Apply(all);
    }

    /// <summary>Runs the reservoir from the zero state over <paramref name="inputs"/> and returns the read-out's predictions [T, K].</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="Fit"/>.</exception>
    public double[,] Predict(double[,] inputs) => Apply(Features(inputs, States(inputs), 0));

    private double[,] Apply(double[,] features)
    {
        var r = _readout ?? throw new InvalidOperationException("the read-out is not fitted: call Fit first.");
        int rows = features.GetLength(0), d = features.GetLength(1), k = r.Length / d;
        var y = new double[rows, k];
        for (int t = 0; t < rows; t++)
            for (int o = 0; o < k; o++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += r[o * d + j] * features[t, j];
                y[t, o] = s;
            }
        return y;
    }

    private double[,] Features(double[,] inputs, double[,] states, int washout)
    {
        int steps = inputs.GetLength(0), n = Options.Size, d = 1 + Inputs + n;
        var f = new double[Math.Max(0, steps - washout), d];
        for (int t = washout; t < steps; t++)
        {
            f[t - washout, 0] = 1;
            for (int c = 0; c < Inputs; c++) f[t - washout, 1 + c] = inputs[t, c];
            for (int i = 0; i < n; i++) f[t - washout, 1 + Inputs + i] = states[t, i];
        }
        return f;
    }

    private void Multiply(double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double s = 0;
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++) s += _w[k] * x[_col[k]];
            y[i] = s;
        }
    }
}
