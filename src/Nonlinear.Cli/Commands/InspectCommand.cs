using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Statistics;
using Nonlinear.Layers;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear inspect CHECKPOINT`: captures the chosen layers over a data split and prints, per layer, the dead units
/// (never active), the fraction of exact zeros, the active and saturated fractions, the largest |a| against the median
/// and the most active units; with --out, a histogram PNG per layer and a sparsity PNG. --bench-capture times the
/// forward pass with and without capture instead.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var shared = new InspectTarget.Options();
        var split = new Option<string>("--split") { Description = "test or train: the split to inspect.", DefaultValueFactory = _ => "test" };
        var outDir = new Option<string?>("--out") { Description = "Folder for the PNGs (histogram per layer, sparsity per layer) and units.csv." };
        var bins = new Option<int>("--bins") { Description = "Histogram bins.", DefaultValueFactory = _ => 60 };
        var epsilon = new Option<double>("--epsilon") { Description = "Activity threshold ε: a unit is active on an input when a > ε (|a| > ε for activations with a negative side).", DefaultValueFactory = _ => 0 };
        var bench = new Option<int>("--bench-capture") { Description = "Instead of inspecting: time this many forward passes over the split with and without capture, interleaved, and print the overhead." };
        var cmd = new Command("inspect", "Per-layer activation statistics of a checkpoint: dead units, sparsity, saturation, massive activations.") { split, outDir, bins, epsilon, bench };
        shared.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            string s = pr.GetValue(split)!;
            if (s is not ("test" or "train")) throw new InvalidInputException($"--split: expected test or train; got '{s}'.");
            int b = pr.GetValue(bins);
            if (b < 1 || b > 10_000) throw new InvalidInputException($"--bins must be in [1, 10000]; got {b}.");
            double eps = pr.GetValue(epsilon);
            if (!(eps >= 0) || double.IsInfinity(eps)) throw new InvalidInputException($"--epsilon must be finite and ≥ 0; got {eps}.");
            int repeats = pr.GetValue(bench);
            if (repeats < 0 || repeats > 1000) throw new InvalidInputException($"--bench-capture must be in [0, 1000]; got {repeats}.");
            string? dir = pr.GetValue(outDir);
            if (dir is not null) Directory.CreateDirectory(dir);
            var target = shared.Load(pr);
            var data = s == "test" ? target.Test : target.Train;
            int batch = pr.GetValue(shared.Batch);
            if (repeats > 0) return InspectBench.Run(target, data, batch, repeats);
            return Inspect(target, data, batch, b, eps, dir);
        });
        return cmd;
    }

    private static int Inspect(InspectTarget target, Dataset data, int batch, int bins, double eps, string? dir)
    {
        var captured = ProgressView.RunSteps($"capturing {target.Layers.Count} layer(s)", data.Count,
            advance => ActivationCapture.Collect(target.Model, data, target.Layers, new CaptureOptions(batch, Layout: target.Layout, Progress: (done, _) => advance(done))));
        Console.WriteLine($"{target.Description}: {data.Count} inputs ({data.Name})");
        Console.WriteLine($"{"layer",-12} {"units",6} {"dead",6} {"dead%",7} {"zero%",7} {"active%",8} {"sat%",7} {"max|a|",10} {"at unit@input",14} {"max/med",9}  top units (mean)");
        var sparsity = new List<(string, double, double)>();
        var csv = new List<string> { "layer,unit,mean,variance,min,max,zero_fraction,active_fraction,saturation,kurtosis,dead" };
        foreach (var layer in captured.Layers)
        {
            var stats = Statistics(target.Model.GetSubmodule(layer.Name), layer, eps);
            var all = stats.Layer;
            var massive = MassiveActivations.Find(layer, top: 1);
            bool bounded = stats.Options.Lower is not null || stats.Options.Upper is not null;
            var top = Enumerable.Range(0, stats.Units).OrderByDescending(u => stats.Unit(u).Mean).Take(3)
                .Select(u => $"{u}:{stats.Unit(u).Mean:0.###}");
            string where = massive.Top.Count == 0 ? "-" : $"{massive.Top[0].Unit}@{massive.Top[0].Input}";
            // In a ReLU layer the median |a| is usually 0; the ratio is then taken to the median of the nonzero values (marked *).
            string ratio = massive.Median > 0 ? $"{massive.Ratio,9:0.0}" : $"{massive.RatioToNonzeroMedian,8:0.0}*";
            Console.WriteLine($"{layer.Name,-12} {stats.Units,6} {stats.DeadCount,6} {stats.DeadFraction,7:P1} {all.ZeroFraction,7:P1} {all.ActiveFraction,8:P1} " +
                              $"{(bounded ? all.Saturation.ToString("P1", CultureInfo.InvariantCulture) : "-"),7} {stats.MaxAbs,10:G4} {where,14} {ratio}  {string.Join(" ", top)}");
            sparsity.Add((layer.Name, all.ZeroFraction, stats.DeadFraction));
            if (dir is null) continue;
            for (int u = 0; u < stats.Units; u++)
            {
                var t = stats.Unit(u);
                csv.Add(string.Join(",", layer.Name, u.ToString(CultureInfo.InvariantCulture), F(t.Mean), F(t.Variance), F(t.Min), F(t.Max), F(t.ZeroFraction),
                    F(t.ActiveFraction), F(t.Saturation), F(t.Kurtosis), t.IsDead ? "1" : "0"));
            }
            if (all.Min < all.Max && double.IsFinite(all.Min) && double.IsFinite(all.Max))
            {
                var h = Histogram.Fixed(all.Min, all.Max, bins);
                h.Add(layer.Values);
                InspectCharts.Histogram(Path.Combine(dir, $"hist-{FileName(layer.Name)}.png"), layer.Name, h);
            }
        }
        Console.WriteLine("dead: never active over the inputs (a > ε, or |a| > ε for units with a negative side); sat: within 0.01 of a bound of an activation bounded on both sides; max/med: max|a| / median|a| (* median of the nonzero |a|).");
        if (dir is not null)
        {
            InspectCharts.Sparsity(Path.Combine(dir, "sparsity.png"), sparsity);
            IO.AtomicFile.WriteAllText(Path.Combine(dir, "units.csv"), string.Join("\n", csv) + "\n");
            Console.WriteLine($"wrote {dir}/sparsity.png, hist-*.png and units.csv");
        }
        return 0;
    }

    /// <summary>
    /// The statistics of one captured layer: saturation bounds from the catalog when the module is a catalog activation;
    /// activity a &gt; ε for units bounded below at ≥ 0 (ReLU-like), |a| &gt; ε otherwise (learnable units and KAN layers,
    /// which declare no range, included).
    /// </summary>
    internal static ActivationStatistics Statistics(Module module, ActivationMatrix layer, double eps)
    {
        var options = module is ActivationLayer a ? ActivationBounds.For(a.Activation, new StatisticsOptions(Epsilon: eps)) : new StatisticsOptions(Epsilon: eps);
        bool nonNegative = options.Lower is double lo && lo >= 0;
        // Saturation is reported for activations bounded on both sides (sigmoid, tanh, relu6, hardtanh); at ReLU's one
        // bound it would only repeat the zero fraction.
        bool bothBounds = options.Lower is not null && options.Upper is not null;
        options = options with { Rule = nonNegative ? ActivityRule.Positive : ActivityRule.Magnitude, Lower = bothBounds ? options.Lower : null, Upper = bothBounds ? options.Upper : null };
        var stats = new ActivationStatistics(layer.Units, options);
        stats.Add(layer, 0);
        return stats;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string FileName(string layer) => string.Concat(layer.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
