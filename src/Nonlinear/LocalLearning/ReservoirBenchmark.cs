namespace Nonlinear.LocalLearning;

/// <summary>The reservoir-computing benchmark tasks.</summary>
public enum ReservoirTask
{
    /// <summary>Predict the Mackey–Glass series (τ = 17) <c>horizon</c> steps ahead from its current value.</summary>
    MackeyGlass,
    /// <summary>Output NARMA-10's y(t) from its inputs u up to t (horizon 0 only).</summary>
    Narma10,
}

/// <summary>One benchmark run's measurements.</summary>
/// <param name="RawSpectralRadius">The drawn W's measured spectral radius.</param>
/// <param name="SpectralRadius">The rescaled W's measured spectral radius.</param>
/// <param name="Connections">Non-zero recurrent weights.</param>
/// <param name="TrainNrmse">NRMSE on the training steps after the washout.</param>
/// <param name="TestNrmse">NRMSE on the held-out steps.</param>
public sealed record ReservoirResult(double RawSpectralRadius, double SpectralRadius, int Connections, double TrainNrmse, double TestNrmse);

/// <summary>Generates a task's series, fits an <see cref="EchoStateNetwork"/> on its first part and scores the rest.</summary>
public static class ReservoirBenchmark
{
    /// <summary>Runs <paramref name="task"/>: <paramref name="train"/> steps (the washout included) then <paramref name="test"/> held-out steps.</summary>
    /// <exception cref="InvalidInputException">Lengths or horizon out of range, or invalid options.</exception>
    public static ReservoirResult Run(ReservoirTask task, EchoStateOptions options, int train, int test, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train <= options.Washout + 1 || train > 1_000_000) throw new InvalidInputException($"--train must be in ({options.Washout + 1}, 1000000] (more than the washout); got {train}.", nameof(train));
        if (test < 1 || test > 1_000_000) throw new InvalidInputException($"--test must be in [1, 1000000]; got {test}.", nameof(test));
        if (task == ReservoirTask.Narma10 && horizon != 0) throw new InvalidInputException($"--horizon: NARMA-10 is a system-identification task (horizon 0); got {horizon}.", nameof(horizon));
        if (task == ReservoirTask.MackeyGlass && (horizon < 1 || horizon > 10_000)) throw new InvalidInputException($"--horizon must be in [1, 10000] for mackey-glass; got {horizon}.", nameof(horizon));
        int steps = train + test;
        var u = new double[steps, 1];
        var y = new double[steps, 1];
        if (task == ReservoirTask.MackeyGlass)
        {
            var x = TimeSeriesTasks.MackeyGlass(steps + horizon);
            for (int t = 0; t < steps; t++) { u[t, 0] = x[t]; y[t, 0] = x[t + horizon]; }
        }
        else
        {
            var (input, target) = TimeSeriesTasks.Narma10(steps, options.Seed + 7);
            for (int t = 0; t < steps; t++) { u[t, 0] = input[t]; y[t, 0] = target[t]; }
        }
        var esn = new EchoStateNetwork(1, options);
        var p = esn.Fit(u, y, train);
        double Score(int from, int to)
        {
            var pred = new double[to - from];
            var truth = new double[to - from];
            for (int t = from; t < to; t++) { pred[t - from] = p[t, 0]; truth[t - from] = y[t, 0]; }
            return TimeSeriesTasks.Nrmse(pred, truth);
        }
        return new ReservoirResult(esn.RawSpectralRadius, esn.SpectralRadius, esn.Connections, Score(options.Washout, train), Score(train, steps));
    }
}
