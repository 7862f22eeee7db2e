using System.CommandLine;
using System.Globalization;
using Nonlinear.Cli.Runs;
using Nonlinear.Cli.Search;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Store;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear search --store URL --space swish-paper --budget N`: activation search in the style of Ramachandran, Zoph and Le
/// (2017) with regularized evolution in place of their RL controller. Candidates b(u₁(x), u₂(x)) are deduplicated by behaviour,
/// screened by short training runs that run as studies in the store (so `sweep work` workers on any machine can take them),
/// and the top ones are promoted to a longer comparison with the best catalog baselines (`sweep report` tables and plot).
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create(required: true);
        var space = new Option<string>("--space") { Description = "Search space: swish-paper (the paper's unary and binary primitives).", DefaultValueFactory = _ => "swish-paper" };
        var budget = new Option<int>("--budget") { Description = "Candidates to screen (after deduplication).", DefaultValueFactory = _ => 200 };
        var data = new Option<string>("--data") { Description = "Data set of the screening and promoted runs.", DefaultValueFactory = _ => "digits" };
        var model = new Option<string>("--model") { Description = "Model of the screening runs (a kind that takes an activation).", DefaultValueFactory = _ => "mlp:64" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of each screening run.", DefaultValueFactory = _ => 2 };
        var workers = new Option<int>("--workers") { Description = "Workers on this machine: one in this process, the rest as `sweep work` child processes (0: only workers elsewhere).", DefaultValueFactory = _ => 1 };
        var name = new Option<string?>("--name") { Description = "Prefix of the studies this search writes (default: search-UTC time)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the evolution and of every screening run's initialisation.", DefaultValueFactory = _ => 0 };
        var population = new Option<int>("--population") { Description = "Population size of regularized evolution.", DefaultValueFactory = _ => 20 };
        var sample = new Option<int>("--sample") { Description = "Tournament size.", DefaultValueFactory = _ => 5 };
        var baselines = new Option<string>("--baselines") { Description = "Catalog activations screened the same way, for reference ('none' for none).", DefaultValueFactory = _ => "relu,leaky_relu,elu,selu,gelu,silu,mish,softplus,tanh,sigmoid" };
        var top = new Option<int>("--top") { Description = "Functions reported, plotted and promoted.", DefaultValueFactory = _ => 5 };
        var promoteSeeds = new Option<int>("--promote-seeds") { Description = "Seeds of the promoted comparison (0: no promotion).", DefaultValueFactory = _ => 3 };
        var promoteEpochs = new Option<int>("--promote-epochs") { Description = "Epochs of the promoted comparison.", DefaultValueFactory = _ => 6 };
        var inFlight = new Option<int?>("--in-flight") { Description = "Screening runs handed out at once (default: 2 per local worker; raise it when workers on other machines join)." };
        var output = new Option<string>("--out") { Description = "Folder for search.csv, search.md, top.png and promoted/.", DefaultValueFactory = _ => "search-results" };
        var cmd = new Command("search", "Search for activation functions (Ramachandran et al. 2017) by regularized evolution, screened through the run store's workers.");
        foreach (var o in new Option[] { store, space, budget, data, model, epochs, workers, name, seed, population, sample, baselines, top, promoteSeeds, promoteEpochs, inFlight, output }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            int Check(Option<int> o, int lo, int hi)
            {
                int v = pr.GetValue(o);
                return v >= lo && v <= hi ? v : throw new InvalidInputException($"{o.Name} must be in [{lo}, {hi}]; got {v}.");
            }
            var sp = UserError.AtBoundary("--space", () => SearchSpace.Get(pr.GetValue(space)!));
            var m = UserError.AtBoundary("--model", () => ModelSpec.Parse(pr.GetValue(model)!));
            if (m.Kind.DefaultActivation is null) throw new InvalidInputException($"--model: {m} takes no activation; expected a kind such as mlp:64.");
            string b = pr.GetValue(baselines)!;
            IReadOnlyList<ActivationSpec> bases = b.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : UserError.AtBoundary("--baselines", () => ActivationSpec.ParseList(b));
            string searchName = pr.GetValue(name) ?? $"search-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            if (searchName.Trim().Length == 0 || searchName.Length > 200) throw new InvalidInputException($"--name: expected 1 to 200 characters; got '{searchName}'.");
            int pop = Check(population, 2, 10_000);
            var options = new SearchOptions(searchName, sp, Check(budget, 1, 100_000), pr.GetValue(data)!, m.ToString(), Check(epochs, 1, 1000), pr.GetValue(seed))
            {
                Population = pop, Sample = Check(sample, 1, pop), Baselines = bases, PromoteTop = Check(top, 1, 100),
                PromoteSeeds = Check(promoteSeeds, 0, 100), PromoteEpochs = Check(promoteEpochs, 1, 1000),
                InFlight = pr.GetValue(inFlight) is int f ? (f >= 1 && f <= 10_000 ? f : throw new InvalidInputException($"--in-flight must be in [1, 10000]; got {f}."))
                    : 2 * Math.Max(1, Check(workers, 0, 256)),
                Training = new Dictionary<string, string> { ["batch"] = "128", ["lr"] = "1e-3", ["optimizer"] = "adam", ["weight_decay"] = "0", ["label_smoothing"] = "0" },
            };
            return Run(options, pr.GetValue(store)!, pr.GetValue(workers), pr.GetValue(output)!);
        });
        return cmd;
    }

    private static int Run(SearchOptions options, string storeText, int workers, string output)
    {
        using var store = StoreOption.Open(storeText);
        if (store.Studies().Any(s => s.Name.StartsWith(options.Name + "/", StringComparison.Ordinal)))
            throw new InvalidInputException($"--name: studies of a search '{options.Name}' already exist in {store.Url}; choose another name.");
        Directory.CreateDirectory(output);
        string checkpoints = Path.Combine(Path.GetFullPath(output), "checkpoints");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"search '{options.Name}': space {options.Space.Name} ({options.Space.Size} candidates before deduplication), budget {options.Budget}, {options.Data} {options.Model} {options.Epochs} epoch(s); store {store.Url}");
        Console.WriteLine($"more workers can join from anywhere: nonlinear sweep work --store URL --checkpoints DIR");
        var run = new SearchRun(store, options, Console.WriteLine);
        using (var pool = new SearchWorkers(store, storeText, workers, checkpoints, Path.Combine(output, "workers.log")))
        {
            if (!pool.ChildrenStarted) Console.WriteLine("note: child workers could not be started from this host; the in-process worker runs alone");
            using var keepAlive = new Timer(_ => pool.KeepAlive(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
            run.Run();
            var ranked = SearchReport.Write(output, options, run.Results, run.Skipped, options.PromoteTop);
            Console.WriteLine($"screened {ranked.Count} candidate(s) in {clock.Elapsed.TotalMinutes:F1} min; wrote {Path.Combine(output, "search.csv")}, search.md, top.png");
            if (options.PromoteSeeds > 0 && ranked.Count > 0) Promote(store, options, ranked, run.Results, output);
        }
        Console.WriteLine($"search '{options.Name}' finished in {clock.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    // The top functions and the best baselines, several seeds and more epochs, as one study; reported like `compare`.
    private static void Promote(RunStore store, SearchOptions options, IReadOnlyList<Screened> ranked, IReadOnlyList<Screened> all, string output)
    {
        var chosen = ranked.Take(options.PromoteTop).Select(r => r.Formula)
            .Concat(all.Where(r => r.Source == "catalog").OrderByDescending(r => r.Accuracy).Take(options.PromoteBaselines).Select(r => r.Formula)).ToList();
        var specs = chosen.Select(ActivationSpec.Parse).ToList();
        var shared = new Dictionary<string, string>(options.Training) { ["epochs"] = options.PromoteEpochs.ToString(CultureInfo.InvariantCulture) };
        var trials = SweepTrials.Expand([options.Data], [options.Model], specs, options.PromoteSeeds, shared);
        string studyName = $"{options.Name}/promoted";
        long id = store.CreateStudy(studyName, new Dictionary<string, string> { ["search"] = options.Name, ["kind"] = "promoted" }, trials);
        Console.WriteLine($"promoted {chosen.Count} function(s) to '{studyName}': {trials.Count} trial(s), {options.PromoteEpochs} epoch(s), {options.PromoteSeeds} seed(s)");
        while (store.Trials(id).Any(t => t.Status is TrialStatus.Pending or TrialStatus.Running)) Thread.Sleep(250);
        SweepReport.Write(store, store.FindStudy(studyName)!, Path.Combine(output, "promoted"));
    }
}
