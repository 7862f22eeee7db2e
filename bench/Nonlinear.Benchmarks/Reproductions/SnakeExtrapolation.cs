using System.Globalization;
using System.Text;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Reproductions;

/// <summary>
/// After Ziyin, Hartwig and Ueda, "Neural Networks Fail to Learn Periodic Functions and How to Fix It" (2020): MLPs
/// 1-64-64-1 with Snake (a = 1, learnable per channel), ReLU or tanh learn f(x) = sin(x) + 0.5·sin(2x) from 512 evenly
/// spaced points on [−2π, 2π] (full batch, Adam lr 3e-3), and are tested on [2π, 6π] and [−6π, −2π] — outside the
/// range. ReLU continues linearly and tanh flattens to a constant; Snake keeps oscillating.
/// </summary>
public static class SnakeExtrapolation
{
    /// <summary>Activations compared.</summary>
    public static readonly string[] Activations = ["snake", "relu", "tanh"];

    private static double Target(double x) => Math.Sin(x) + 0.5 * Math.Sin(2 * x);

    private static Module Build(string act, Rng rng)
    {
        Module A(int w) => act == "snake" ? new Snake(w, 1f) : new ActivationLayer(act);
        return new Sequential(new Linear(1, 64, rng), A(64), new Linear(64, 64, rng), A(64), new Linear(64, 1, rng));
    }

    private static (Tensor X, Tensor Y) Grid(double lo, double hi, int n)
    {
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++) { x[i] = (float)(lo + (hi - lo) * i / (n - 1)); y[i] = (float)Target(x[i]); }
        return (Tensor.FromArray(x, n, 1), Tensor.FromArray(y, n, 1));
    }

    private static double Rmse(Module net, Tensor x, Tensor y)
    {
        using var _ = Autodiff.Autograd.NoGrad();
        var p = net.Forward(x).ToArray();
        var t = y.ToArray();
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += (p[i] - (double)t[i]) * (p[i] - t[i]);
        return Math.Sqrt(s / p.Length);
    }

    /// <summary>(RMSE inside the training range, RMSE outside it) for one activation and seed.</summary>
    public static (double Inside, double Outside) Run(string act, ulong seed, int steps = 3000)
    {
        var net = Build(act, new Rng(seed));
        var (x, y) = Grid(-2 * Math.PI, 2 * Math.PI, 512);
        var opt = new Adam(net.Parameters(), 3e-3);
        for (int s = 0; s < steps; s++)
        {
            var loss = Loss.Mse(net.Forward(x), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        var (xr, yr) = Grid(2 * Math.PI, 6 * Math.PI, 1000);
        var (xl, yl) = Grid(-6 * Math.PI, -2 * Math.PI, 1000);
        double outside = Math.Sqrt((Math.Pow(Rmse(net, xr, yr), 2) + Math.Pow(Rmse(net, xl, yl), 2)) / 2);
        return (Rmse(net, x, y), outside);
    }

    /// <summary>The REPRODUCTIONS.md table: mean ± sd over seeds 0..seeds−1.</summary>
    public static string Table(int seeds = 3, int steps = 3000)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("| activation | RMSE on [−2π, 2π] (train range) | RMSE on [2π, 6π] ∪ [−6π, −2π] (extrapolation) | per seed (extrapolation) |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (var act in Activations)
        {
            var r = Enumerable.Range(0, seeds).Select(s => Run(act, (ulong)s, steps)).ToArray();
            string Ms(Func<(double Inside, double Outside), double> f)
            {
                double m = r.Average(f), sd = Math.Sqrt(r.Average(v => (f(v) - m) * (f(v) - m)));
                return string.Create(inv, $"{m:0.0000} ± {sd:0.0000}");
            }
            sb.AppendLine(string.Create(inv, $"| {act} | {Ms(v => v.Inside)} | {Ms(v => v.Outside)} | {string.Join(", ", r.Select(v => v.Outside.ToString("0.000", inv)))} |"));
        }
        sb.AppendLine("(the target's own RMSE, i.e. predicting 0, is 0.7906)");
        return sb.ToString();
    }
}
