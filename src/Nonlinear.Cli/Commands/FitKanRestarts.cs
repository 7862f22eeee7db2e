using Nonlinear.Kan.Interpret;
using Nonlinear.Optim;

namespace Nonlinear.Cli.Commands;

/// <summary>`fit --restarts N` for a KAN: N seeds in parallel, the best on the validation split, the spread printed.</summary>
internal static class FitKanRestarts
{
    public static KanFitResult Run(KanFitOptions options, int restarts, FitData d)
    {
        var runs = SeedRestarts.Run(restarts, options.Seed,
            seed => KanFitPipeline.Run(options with { Seed = seed, Symbolic = false }, d.XTrain, d.YTrain, d.XTest, d.YTest, null, d.Names),
            r => FullBatch.Rmse(r.Network, d.XVal!, d.YVal!),
            r => Console.WriteLine($"  seed {r.Seed,4}: validation RMSE {r.Validation:0.000e+00}  test RMSE {r.Result.Stages[^1].TestRmse:0.000e+00}{(r.Result.Pruned is { } p ? "  shape " + p.Shape : "")}"));
        FitSpread.Print(runs.Select(r => r.Validation).ToList(), runs.Select(r => r.Result.Stages[^1].TestRmse).ToList());
        var best = runs[0];
        Console.WriteLine($"chosen: seed {best.Seed} (lowest validation RMSE); its stages:");
        foreach (var s in best.Result.Stages)
            Console.WriteLine($"{s.Name,-10} grid {s.Grid,3}  params {s.Parameters,6}  train RMSE {s.TrainRmse:0.000e+00}  test RMSE {s.TestRmse:0.000e+00}  ({s.Seconds:F1} s)");
        return options.Symbolic ? KanFitPipeline.Symbolize(best.Result, options, d.XTrain, d.YTrain, d.XTest, d.YTest, Console.WriteLine, d.Names) : best.Result;
    }
}

/// <summary>The spread line of a restarts run.</summary>
internal static class FitSpread
{
    public static void Print(IReadOnlyList<double> validation, IReadOnlyList<double> test)
    {
        static string Stats(IReadOnlyList<double> v)
        {
            var s = v.Order().ToArray();
            double median = s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
            return $"min {s[0]:0.000e+00}  median {median:0.000e+00}  max {s[^1]:0.000e+00}";
        }
        Console.WriteLine($"spread over {validation.Count} seeds: validation RMSE {Stats(validation)}; test RMSE {Stats(test)}");
    }
}
