using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>Which optimiser <see cref="FullBatch.Train(Nonlinear.Layers.Module, Nonlinear.Tensors.Tensor, Nonlinear.Tensors.Tensor, FullBatchOptions, System.Action{int, double})"/> uses.</summary>
public enum FullBatchOptimizer
{
    /// <summary>LBFGS with strong-Wolfe line search: one <see cref="Lbfgs.Step"/> (up to MaxIterations iterations) per step.</summary>
    Lbfgs,
    /// <summary>Adam: one update per step.</summary>
    Adam,
}

/// <summary>Settings of <see cref="FullBatch.Train(Nonlinear.Layers.Module, Nonlinear.Tensors.Tensor, Nonlinear.Tensors.Tensor, FullBatchOptions, System.Action{int, double})"/>.</summary>
/// <param name="Steps">Outer steps (pykan's steps: LBFGS steps of up to 20 iterations each, or Adam updates).</param>
/// <param name="Optimizer">LBFGS (pykan's default) or Adam.</param>
/// <param name="LearningRate">LBFGS lr (1) or Adam lr (default 1e-2 when null).</param>
/// <param name="HistorySize">LBFGS history (pykan passes 10).</param>
/// <param name="MaxIterations">LBFGS iterations per step (torch's default 20).</param>
public sealed record FullBatchOptions(int Steps = 100, FullBatchOptimizer Optimizer = FullBatchOptimizer.Lbfgs, double? LearningRate = null,
    int HistorySize = 10, int MaxIterations = 20);

/// <summary>
/// Full-batch regression training as in pykan's fit: each step evaluates the whole training set, so LBFGS sees a
/// deterministic objective. The objective is MSE plus an optional penalty (e.g. the KAN sparsity term); LBFGS receives
/// the loss summed in double, since at RMSE 1e-4 a float32 loss of 1e-8 leaves the line search too few digits.
/// </summary>
public static class FullBatch
{
    /// <summary>
    /// Trains <paramref name="parameters"/> to minimise mean((f(x) − y)²) + penalty, where <paramref name="forward"/>
    /// returns (f(x), penalty or null). <paramref name="onStep"/> gets (step, MSE) after each step. Returns the final MSE.
    /// </summary>
    public static double Train(IEnumerable<Tensor> parameters, Func<(Tensor Prediction, Tensor? Penalty)> forward, Tensor y,
        FullBatchOptions options, Action<int, double>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 0) throw new ArgumentException($"Steps must be ≥ 0; got {options.Steps}.", nameof(options));
        var ps = parameters.ToArray();
        var target = y.ToArray();
        double lastMse = double.NaN;
        double Closure()
        {
            foreach (var p in ps) if (p.Grad is not null) p.Grad.AsSpan().Clear();
            var (pred, penalty) = forward();
            var loss = Loss.Mse(pred, y);
            if (penalty is not null) loss = Ops.Add(loss, penalty);
            loss.Backward();
            lastMse = MeanSquare(pred.ToArray(), target);
            return lastMse + (penalty is null ? 0 : penalty.Item());
        }
        if (options.Optimizer == FullBatchOptimizer.Lbfgs)
        {
            var opt = new Lbfgs(ps, new LbfgsOptions(LearningRate: options.LearningRate ?? 1, MaxIterations: options.MaxIterations,
                HistorySize: options.HistorySize, ToleranceGrad: 1e-32, ToleranceChange: 1e-32));
            for (int s = 0; s < options.Steps; s++)
            {
                opt.Step(Closure);
                onStep?.Invoke(s, lastMse);
            }
        }
        else
        {
            var opt = new Adam(ps, options.LearningRate ?? 1e-2);
            for (int s = 0; s < options.Steps; s++)
            {
                Closure();
                opt.Step();
                onStep?.Invoke(s, lastMse);
            }
        }
        return lastMse;
    }

    /// <summary>Convenience for a module: MSE of model(x) against y, no penalty.</summary>
    public static double Train(Module model, Tensor x, Tensor y, FullBatchOptions options, Action<int, double>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Train(model.Parameters(), () => (model.Call(x), null), y, options, onStep);
    }

    /// <summary>Root mean squared error of model(x) against y, summed in double, without recording gradients.</summary>
    public static double Rmse(Module model, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = Autograd.NoGrad();
        return Math.Sqrt(MeanSquare(model.Call(x).ToArray(), y.ToArray()));
    }

    private static double MeanSquare(float[] p, float[] t)
    {
        if (p.Length != t.Length) throw new ArgumentException($"prediction has {p.Length} values; target has {t.Length}.", nameof(t));
        double s = 0;
        for (int i = 0; i < p.Length; i++) { double d = (double)p[i] - t[i]; s += d * d; }
        return s / p.Length;
    }
}
