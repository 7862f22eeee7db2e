using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>The benchmark series of reservoir computing, and their error measure.</summary>
public static class TimeSeriesTasks
{
    /// <summary>
    /// The Mackey–Glass series dx/dt = β·x(t−τ)/(1 + x(t−τ)ⁿ) − γ·x(t) with β = 0.2, γ = 0.1, n = 10 (Mackey &amp; Glass
    /// 1977; τ = 17 is the usual mildly chaotic case), integrated by RK4 with step 1/<paramref name="substeps"/> (the
    /// delayed term at half steps is the mean of its neighbours), history x = 1.2 for t ≤ 0, sampled every 1 time unit
    /// after discarding <paramref name="transient"/> units.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">length, tau or substeps out of range.</exception>
    public static double[] MackeyGlass(int length, double tau = 17, int substeps = 10, int transient = 1000)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be ≥ 1.");
        if (!(tau > 0)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be > 0.");
        if (substeps < 1) throw new ArgumentOutOfRangeException(nameof(substeps), substeps, "substeps must be ≥ 1.");
        double h = 1.0 / substeps;
        int delay = (int)Math.Round(tau * substeps);
        int total = (transient + length) * substeps;
        var x = new double[total + delay + 1];
        for (int i = 0; i <= delay; i++) x[i] = 1.2;
        static double F(double xt, double xd) => 0.2 * xd / (1 + Math.Pow(xd, 10)) - 0.1 * xt;
        for (int i = delay; i < delay + total; i++)
        {
            double d0 = x[i - delay], d1 = x[i - delay + 1], dm = (d0 + d1) / 2, xi = x[i];
            double k1 = F(xi, d0), k2 = F(xi + h / 2 * k1, dm), k3 = F(xi + h / 2 * k2, dm), k4 = F(xi + h * k3, d1);
            x[i + 1] = xi + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        var series = new double[length];
        for (int t = 0; t < length; t++) series[t] = x[delay + (transient + t + 1) * substeps];
        return series;
    }

    /// <summary>
    /// NARMA-10 (Atiya &amp; Parlos 2000): inputs u(t) ~ U(0, 0.5) and y(t+1) = 0.3·y(t) + 0.05·y(t)·Σᵢ₌₀⁹ y(t−i)
    /// + 1.5·u(t−9)·u(t) + 0.1, y = 0 before the start. The task is to output y(t) from u up to t.
    /// </summary>
    public static (double[] Input, double[] Target) Narma10(int length, ulong seed = 0)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be ≥ 1.");
        var rng = new Rng(seed);
        var u = new double[length];
        var y = new double[length];
        for (int t = 0; t < length; t++) u[t] = 0.5 * rng.NextDouble();
        for (int t = 9; t < length - 1; t++)
        {
            double sum = 0;
            for (int i = 0; i < 10; i++) sum += y[t - i];
            y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * sum + 1.5 * u[t - 9] * u[t] + 0.1;
        }
        return (u, y);
    }

    /// <summary>NRMSE = √(mean((ŷ − y)²) / var(y)), var with 1/n; 1 is as good as predicting the mean.</summary>
    public static double Nrmse(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target)
    {
        if (predicted.Length != target.Length || target.Length == 0) throw new ArgumentException($"lengths differ or are zero: {predicted.Length} and {target.Length}.", nameof(predicted));
        double mean = 0;
        foreach (double v in target) mean += v;
        mean /= target.Length;
        double se = 0, var = 0;
        for (int i = 0; i < target.Length; i++)
        {
            se += (predicted[i] - target[i]) * (predicted[i] - target[i]);
            var += (target[i] - mean) * (target[i] - mean);
        }
        return Math.Sqrt(se / var);
    }
}
