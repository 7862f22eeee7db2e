using System.Diagnostics;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `fit --model mlp:…`: the same data, optimizer and total step budget as a KAN fit (steps per stage × stages), so the
/// two can be compared like for like; prints the parameter count beside the RMSEs.
/// </summary>
internal static class FitMlp
{
    public static int Run(ModelSpec spec, FitData d, int steps, FullBatchOptimizer optimizer, ulong seed, int restarts)
    {
        int inputs = d.Names.Count;
        Runs.CommandRun.Current?.Begin();
        Console.WriteLine($"fit {d.Source}: {spec} {spec.Activation}, {steps} {optimizer} steps, {d.XTrain.Size(0)} train / {(d.XVal is null ? "" : d.XVal.Size(0) + " validation / ")}{d.XTest.Size(0)} test");
        (Module Model, double Seconds) Train(ulong s)
        {
            var sw = Stopwatch.StartNew();
            var model = spec.Build(inputs, 1, new Rng(s), w => Console.Error.WriteLine($"warning: {w}"));
            FullBatch.Train(model, d.XTrain, d.YTrain, new FullBatchOptions(Steps: steps, Optimizer: optimizer));
            return (model, sw.Elapsed.TotalSeconds);
        }
        (Module Model, double Seconds) chosen;
        if (restarts > 1)
        {
            var runs = SeedRestarts.Run(restarts, seed, Train, r => FullBatch.Rmse(r.Model, d.XVal!, d.YVal!),
                r => Console.WriteLine($"  seed {r.Seed,4}: validation RMSE {r.Validation:0.000e+00}  test RMSE {FullBatch.Rmse(r.Result.Model, d.XTest, d.YTest):0.000e+00}"));
            FitSpread.Print(runs.Select(r => r.Validation).ToList(), runs.Select(r => FullBatch.Rmse(r.Result.Model, d.XTest, d.YTest)).ToList());
            chosen = runs[0].Result;
            Console.WriteLine($"chosen: seed {runs[0].Seed} (lowest validation RMSE)");
        }
        else chosen = Train(seed);
        Runs.RecordedFit.Mlp(Runs.CommandRun.Current, chosen.Model, d);
        Console.WriteLine($"mlp        params {chosen.Model.ParameterCount,6}  train RMSE {FullBatch.Rmse(chosen.Model, d.XTrain, d.YTrain):0.000e+00}  test RMSE {FullBatch.Rmse(chosen.Model, d.XTest, d.YTest):0.000e+00}  ({chosen.Seconds:F1} s)");
        return 0;
    }
}
