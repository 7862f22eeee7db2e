using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Cli.Compare;
using Nonlinear.Cli.Runs;
using Nonlinear.Kernels;
using Nonlinear.Layers;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear compare`: the same model trained with several activations × seeds; a table of mean ± std test accuracy,
/// final loss, time per epoch and dead units on the console and in DIR/compare.csv, compare.md, compare.json and curves.png.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var o = new RunOptions(singleRun: false);
        var acts = new Option<string>("--activations") { Description = "Comma-separated activations (parameters allowed: elu(alpha=0.5); learnable units too: prelu, pau(5,4), snake, …), or 'all' for the whole catalog.", DefaultValueFactory = _ => "relu,gelu,silu,mish" };
        var family = new Option<string?>("--family") { Description = "With --activations all: only this family (" + string.Join(", ", ActivationCatalog.Families) + ")." };
        var seeds = new Option<int>("--seeds") { Description = "Runs per activation, seeds 0 … N−1; the table shows mean ± standard deviation.", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Folder for compare.csv, compare.md, compare.json and curves.png.", DefaultValueFactory = _ => "compare-results" };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder, replacing compare.csv, compare.md, compare.json and curves.png there." };
        var store = StoreOption.Create();
        var fromJson = new Option<string?>("--from-json") { Description = "Rebuild the table, CSV, Markdown and plot from a compare.json into --out, without training." };
        var workers = new Option<int>("--workers") { Description = "Runs trained at once, each on its own thread with --threads kernel threads (a comparison is a local sweep: `sweep work` on its store can join or resume it; above 1, a 128 MiB gen0 budget as for sweep work).", DefaultValueFactory = _ => 1 };
        var study = new Option<string?>("--name") { Description = "The comparison's study name in the store (default compare-UTC time); `sweep report --name` prints its table again." };
        var cmd = new Command("compare", "Train the same model with several activations and seeds and compare them. Dead units: " + ComparisonReport.DeadUnitDefinition + ".")
            { acts, family, seeds };
        o.AddTo(cmd);
        var lm = new CompareLmTask();
        lm.AddTo(cmd);
        cmd.Options.Add(output);
        cmd.Options.Add(fromJson);
        cmd.Options.Add(force);
        cmd.Options.Add(store);
        cmd.Options.Add(workers);
        cmd.Options.Add(study);
        cmd.SetAction(pr =>
        {
            string outDir = pr.GetValue(output)!;
            // Checked before training: results of earlier comparisons are not replaced unless asked to.
            RequireOutputFolder(outDir, pr.GetValue(force));
            if (lm.IsLm(pr))
            {
                if (pr.GetValue(fromJson) is not null) throw new InvalidInputException("--from-json applies only to --task classify.");
                return lm.Run(pr, o, acts, family, pr.GetValue(seeds), outDir);
            }
            return pr.GetValue(fromJson) is string json
                ? Report(json, outDir)
                : Run(o.Read(pr), pr.GetValue(acts)!, pr.GetValue(family), pr.GetValue(seeds), outDir, pr.GetValue(store), pr.GetValue(workers), pr.GetValue(study));
        });
        return cmd;
    }

    /// <summary>
    /// The activations named by --activations (and --family with 'all') as typed specs with their family: catalog
    /// entries' catalog family, learnable units (prelu, pau(5,4), …) family "learnable".
    /// </summary>
    public static IReadOnlyList<(ActivationSpec Spec, string Family)> Select(string activations, string? family)
    {
        if (activations.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            IEnumerable<ActivationEntry> entries;
            try { entries = ActivationCatalog.Filter(family).ToList(); }
            catch (InvalidInputException e) { throw new InvalidInputException($"--family: {UserError.Describe(e)}"); }
            return entries.Select(e => (ActivationSpec.Parse(e.Info.Name), e.Info.Family)).ToList();
        }
        if (family is not null)
            throw new InvalidInputException($"--family '{family}' applies only to --activations all; got --activations '{activations}'.");
        IReadOnlyList<ActivationSpec> specs;
        try { specs = ActivationSpec.ParseList(activations); }
        catch (InvalidInputException e) { throw new InvalidInputException($"--activations: {UserError.Describe(e)}"); }
        var list = specs.Select(a => (a, a.Fixed?.Info.Family ?? "learnable")).ToList();
        var duplicate = list.GroupBy(a => a.a).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidInputException($"--activations: '{duplicate.Key}' is listed {duplicate.Count()} times.");
        return list;
    }

    private static int Run(RunSettings settings, string activations, string? family, int seeds, string output, string? storeUrl, int workers, string? study)
    {
        if (seeds < 1 || seeds > 100) throw new InvalidInputException($"--seeds must be in [1, 100]; got {seeds}.");
        if (workers < 1 || workers > 256) throw new InvalidInputException($"--workers must be in [1, 256]; got {workers}.");
        if (study is not null && string.IsNullOrWhiteSpace(study)) throw new InvalidInputException("--name: expected a study name; got an empty one.");
        var acts = Select(activations, family);
        // Refused before any data is loaded: a KAN kind takes no activation, so the rows could only be identical.
        foreach (var (spec, _) in acts) settings.Model.WithActivation(spec);
        Parallelism.MaxThreads = settings.Threads;
        var (train, test) = settings.LoadData();
        var o = settings.Options;
        var description = settings.Describe();
        Console.WriteLine($"{settings.Data}: {train.Count} train / {test.Count} test, {train.FeatureCount} features, {train.NumClasses} classes; " +
                          $"model {settings.Model}, {description["optimizer"]} lr {description["lr"]}, " +
                          $"batch {o.BatchSize}, {o.Epochs} epoch(s); {acts.Count} activation(s) × {seeds} seed(s); {settings.Threads} thread(s)" +
                          (workers > 1 ? $" × {workers} workers" : ""));
        // The default store sits inside --out (next to compare.csv), so a comparison folder carries its runs and its study.
        using var store = ComparisonStore.Open(StoreOption.Resolve(storeUrl, Path.Combine(output, "compare.csv")), output);
        string name = study ?? ComparisonStore.NewStudyName();
        var runs = ComparisonRunner.Run(settings, acts, seeds, (train, test), new ComparisonRunner.Plan(store.Store, name, store.Checkpoints, workers));
        if (!store.IsTemporary) Console.WriteLine($"recorded {runs.Count} run(s) as study '{name}' in {store.Store.Url}");
        description.Remove("activation");
        description.Remove("seed");
        description["activations"] = string.Join(";", acts.Select(a => a.Spec.ToString()));
        description["seeds"] = seeds.ToString(CultureInfo.InvariantCulture);
        description["threads"] = settings.Threads.ToString(CultureInfo.InvariantCulture);
        description["train_samples"] = train.Count.ToString(CultureInfo.InvariantCulture);
        description["test_samples"] = test.Count.ToString(CultureInfo.InvariantCulture);
        return Write(output, description, runs);
    }

    private static int Report(string json, string output)
    {
        if (!File.Exists(json)) throw new FileNotFoundException($"--from-json: no such file '{json}'.");
        var (settings, runs) = ComparisonReport.ReadJson(json);
        return Write(output, settings, runs);
    }

    private static void RequireOutputFolder(string output, bool force)
    {
        if (string.IsNullOrWhiteSpace(output)) throw new InvalidInputException("--out: expected a folder name; got an empty one.");
        if (File.Exists(output)) throw new InvalidInputException($"--out '{output}' is a file; expected a folder.");
        if (!force && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new InvalidInputException($"--out '{output}' is not empty; give --force to replace the comparison files in it, or choose another folder.");
    }

    private static int Write(string output, IReadOnlyDictionary<string, string> settings, List<RunRecord> runs)
    {
        var rows = ComparisonReport.Ranked(ActivationSummary.From(runs));
        Screen.Write(ComparisonReport.Table(rows));
        ComparisonReport.WriteAll(output, settings, rows, runs);
        Console.WriteLine($"wrote {string.Join(", ", new[] { "compare.csv", "compare.md", "compare.json", "curves.png" }.Select(f => Path.Combine(output, f)))}");
        return 0;
    }
}
