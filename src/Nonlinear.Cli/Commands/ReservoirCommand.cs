using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nonlinear.LocalLearning;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear reservoir`: an echo state network on Mackey–Glass (τ = 17) or NARMA-10 with a closed-form ridge read-out;
/// prints the measured spectral radius and the train/test NRMSE, one line per reservoir size of --size.
/// </summary>
internal static class ReservoirCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "mackey-glass (predict --horizon steps ahead) or narma10.", DefaultValueFactory = _ => "mackey-glass" };
        var size = new Option<string>("--size") { Description = "Reservoir units; a comma list (e.g. 100,200,500) runs one reservoir per size.", DefaultValueFactory = _ => "500" };
        var radius = new Option<double>("--radius") { Description = "Spectral radius W is rescaled to (measured by power iteration).", DefaultValueFactory = _ => 0.9 };
        var leak = new Option<double>("--leak") { Description = "Leak rate in (0, 1]; 1 = no leak.", DefaultValueFactory = _ => 1.0 };
        var scaling = new Option<double>("--input-scaling") { Description = "W_in ~ U(−s, s).", DefaultValueFactory = _ => 1.0 };
        var sparsity = new Option<double>("--sparsity") { Description = "Fraction of zero recurrent weights, in [0, 1).", DefaultValueFactory = _ => 0.9 };
        var ridge = new Option<double>("--ridge") { Description = "Ridge penalty of the read-out.", DefaultValueFactory = _ => 1e-8 };
        var horizon = new Option<int>("--horizon") { Description = "Mackey–Glass: predict x(t + horizon) from x up to t (NARMA-10: 0).", DefaultValueFactory = _ => 1 };
        var train = new Option<int>("--train") { Description = "Training steps (washout included).", DefaultValueFactory = _ => 2000 };
        var test = new Option<int>("--test") { Description = "Held-out steps.", DefaultValueFactory = _ => 1000 };
        var washout = new Option<int>("--washout") { Description = "Initial steps discarded before fitting.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of the reservoir (and of NARMA's inputs).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("reservoir", "Echo state network on Mackey–Glass or NARMA-10: measured spectral radius, ridge read-out, NRMSE.")
        { task, size, radius, leak, scaling, sparsity, ridge, horizon, train, test, washout, seed };
        cmd.SetAction(pr =>
        {
            string taskText = pr.GetValue(task)!.Trim().ToLowerInvariant();
            var kind = taskText switch
            {
                "mackey-glass" or "mackeyglass" or "mg" => ReservoirTask.MackeyGlass,
                "narma10" or "narma-10" or "narma" => ReservoirTask.Narma10,
                _ => throw new InvalidInputException($"--task must be mackey-glass or narma10; got '{taskText}'."),
            };
            int h = pr.GetValue(horizon);
            if (kind == ReservoirTask.Narma10 && pr.GetResult(horizon) is null) h = 0;
            int sd = pr.GetValue(seed);
            if (sd < 0) throw new InvalidInputException($"--seed must be ≥ 0; got {sd}.");
            var sizes = ParseSizes(pr.GetValue(size)!);
            Console.WriteLine($"{(kind == ReservoirTask.MackeyGlass ? $"mackey-glass (tau 17), horizon {h}" : "narma10")}: {pr.GetValue(train)} train (washout {pr.GetValue(washout)}) / {pr.GetValue(test)} test steps");
            foreach (int n in sizes)
            {
                var options = new EchoStateOptions
                {
                    Size = n, SpectralRadius = pr.GetValue(radius), Leak = pr.GetValue(leak), InputScaling = pr.GetValue(scaling),
                    Sparsity = pr.GetValue(sparsity), Ridge = pr.GetValue(ridge), Washout = pr.GetValue(washout), Seed = (ulong)sd,
                };
                var clock = Stopwatch.StartNew();
                var r = ReservoirBenchmark.Run(kind, options, pr.GetValue(train), pr.GetValue(test), h);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"size {n,5}: spectral radius {r.RawSpectralRadius:F4} drawn → {r.SpectralRadius:F4}, {r.Connections} connections; NRMSE train {r.TrainNrmse:E3}, test {r.TestNrmse:E3} ({clock.Elapsed.TotalSeconds:F1} s)"));
            }
            return 0;
        });
        return cmd;
    }

    private static int[] ParseSizes(string text)
    {
        var parts = text.Split(',');
        if (parts.Length > 32) throw new InvalidInputException($"--size: at most 32 sizes; got {parts.Length}.");
        return parts.Select(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 && v <= 20_000 ? v
            : throw new InvalidInputException($"--size: '{p.Trim()}' is not an integer in [1, 20000] (expected e.g. 100,200,500).")).ToArray();
    }
}
