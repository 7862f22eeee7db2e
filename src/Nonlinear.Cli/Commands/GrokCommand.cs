using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nonlinear.Cli.Plotting;
using Nonlinear.Kernels;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear grok`: modular addition with the one-layer transformer of Nanda et al. 2023 (<see cref="Grokking"/>);
/// logs train/test loss and accuracy, stops when test accuracy ≥ 99 % on 3 consecutive logs (as the peer), and writes
/// the learning curves (log-scale steps) and the embedding's Fourier spectrum as PNGs plus the log as CSV.
/// </summary>
internal static class GrokCommand
{
    public static Command Create()
    {
        var p = new Option<int>("--p") { Description = "The modulus.", DefaultValueFactory = _ => 113 };
        var frac = new Option<double>("--train-fraction") { Description = "Fraction of the p² pairs used for training.", DefaultValueFactory = _ => 0.3 };
        var steps = new Option<int>("--steps") { Description = "Most full-batch steps.", DefaultValueFactory = _ => 20000 };
        var logEvery = new Option<int>("--log-every") { Description = "Evaluate every N steps.", DefaultValueFactory = _ => 100 };
        var wd = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split and the weights.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string>("--out") { Description = "Prefix of the outputs: PREFIX-curves.png, PREFIX-fourier.png, PREFIX.csv.", DefaultValueFactory = _ => "grok" };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Stop training after this wall time (0 = no limit); the outputs are written as usual.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("grok", "Grokking of modular addition (Nanda et al. 2023): memorisation first, generalisation much later.")
            { p, frac, steps, logEvery, wd, seed, output, maxMinutes, threads };
        cmd.SetAction(pr =>
        {
            int t = pr.GetValue(threads);
            if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
            int n = pr.GetValue(steps), every = pr.GetValue(logEvery);
            if (n is < 1 or > 10_000_000) throw new InvalidInputException($"--steps {n}: expected [1, 10000000].");
            if (every < 1) throw new InvalidInputException($"--log-every {every}: expected ≥ 1.");
            double minutes = pr.GetValue(maxMinutes);
            if (!(minutes >= 0 && minutes <= 1e6)) throw new InvalidInputException($"--max-minutes {minutes}: expected [0, 1000000] (0 = no limit).");
            string prefix = pr.GetValue(output)!;
            CliPaths.RequireOutputFile("--out", prefix + "-curves.png");
            Parallelism.MaxThreads = t;
            var run = new Grokking(pr.GetValue(p), pr.GetValue(frac), pr.GetValue(seed), pr.GetValue(wd));
            Console.WriteLine($"grok: p = {run.P}, {run.TrainCount} training pairs, {run.TestCount} test pairs, {run.Model.ParameterCount:N0} parameters");
            var log = new List<GrokPoint> { run.Evaluate() };
            int? trainAt = null, testAt = null;
            int streak = 0;
            var watch = Stopwatch.StartNew();
            while (run.Step < n && streak < 3 && (minutes == 0 || watch.Elapsed.TotalMinutes < minutes))
            {
                run.TrainStep();
                if (run.Step % every != 0 && run.Step != n) continue;
                var pt = run.Evaluate();
                log.Add(pt);
                if (pt.TrainAccuracy >= 1.0) trainAt ??= pt.Step;
                if (pt.TestAccuracy >= 0.99) { testAt ??= pt.Step; streak++; } else streak = 0;
                // The log is rewritten at every evaluation so an interrupted long run keeps its curve.
                WriteCsv(prefix + ".csv", log);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {pt.Step,6}  train loss {pt.TrainLoss:0.000e+0} acc {pt.TrainAccuracy:P1}  test loss {pt.TestLoss:0.000e+0} acc {pt.TestAccuracy:P1}  {watch.Elapsed.TotalMilliseconds / run.Step:0.0} ms/step"));
            }
            var norms = run.EmbeddingFourierNorms();
            var key = norms.Select((v, i) => (v, k: i + 1)).OrderByDescending(x => x.v).Take(6).ToList();
            Console.WriteLine($"train accuracy 100 % at step {trainAt?.ToString(CultureInfo.InvariantCulture) ?? "never"}; test accuracy ≥ 99 % at step {testAt?.ToString(CultureInfo.InvariantCulture) ?? "never"} ({run.Step} steps, {watch.Elapsed.TotalSeconds:0}s)");
            Console.WriteLine("strongest embedding frequencies: " + string.Join(", ", key.Select(x => string.Create(CultureInfo.InvariantCulture, $"k={x.k} ({x.v:0.00})"))));
            GrokCharts.Curves(prefix + "-curves.png", log);
            GrokCharts.Fourier(prefix + "-fourier.png", norms, run.P);
            WriteCsv(prefix + ".csv", log);
            Console.WriteLine($"wrote {prefix}-curves.png, {prefix}-fourier.png, {prefix}.csv");
            return 0;
        });
        return cmd;
    }

    private static void WriteCsv(string path, List<GrokPoint> log) =>
        Nonlinear.IO.AtomicFile.WriteAllText(path, "step,train_loss,train_acc,test_loss,test_acc\n" + string.Concat(log.Select(x =>
            string.Create(CultureInfo.InvariantCulture, $"{x.Step},{x.TrainLoss:R},{x.TrainAccuracy:R},{x.TestLoss:R},{x.TestAccuracy:R}\n"))));
}
