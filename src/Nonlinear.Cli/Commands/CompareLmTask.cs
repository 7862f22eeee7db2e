using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Cli.Compare;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Layers.Transformer;
using Nonlinear.Models;
using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `compare --task lm`: the character transformer of `lm train` trained once per MLP kind (--mlps) × seed on one text;
/// rows are MLP kinds, the metric validation bits per character. Shares --model (default gpt:4x128 here), --batch
/// (default 32 here), --lr, --weight-decay (default 0.1 here), --threads, --seeds and --out with the classification
/// comparison; refuses the options that only make sense there.
/// </summary>
internal sealed class CompareLmTask
{
    public readonly Option<string> Task = new("--task") { Description = "classify (default: activations on a labelled dataset) or lm (MLP kinds of a character transformer on a text, metric val bits per character).", DefaultValueFactory = _ => "classify" };
    public readonly Option<string> Mlps = new("--mlps") { Description = "With --task lm: comma-separated MLP kinds (swiglu, geglu, reglu, glu, glu(ACT), bilinear, or an activation: gelu, relu, relu2, silu, …).", DefaultValueFactory = _ => "gelu,swiglu" };
    public readonly Option<string> Text = new("--text") { Description = "With --task lm: UTF-8 text file, 'bundled' or 'kjv'.", DefaultValueFactory = _ => "bundled" };
    public readonly Option<int> Steps = new("--steps") { Description = "With --task lm: optimisation steps per run.", DefaultValueFactory = _ => 500 };
    public readonly Option<int> EvalEvery = new("--eval-every") { Description = "With --task lm: validation every N steps.", DefaultValueFactory = _ => 100 };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Task, Mlps, Text, Steps, EvalEvery }) cmd.Options.Add(o);
    }

    /// <summary>True for --task lm; refuses an unknown task and lm-only options under the classification task.</summary>
    public bool IsLm(ParseResult pr)
    {
        string task = pr.GetValue(Task)!.Trim().ToLowerInvariant();
        if (task is not ("classify" or "lm")) throw new InvalidInputException($"--task '{pr.GetValue(Task)}': expected classify or lm.");
        if (task == "classify")
            foreach (var o in new Option[] { Mlps, Text, Steps, EvalEvery })
                if (pr.GetResult(o) is { Implicit: false }) throw new InvalidInputException($"{o.Name} applies only to --task lm.");
        return task == "lm";
    }

    public int Run(ParseResult pr, RunOptions o, Option<string> activations, Option<string?> family, int seeds, string outDir)
    {
        if (seeds < 1 || seeds > 100) throw new InvalidInputException($"--seeds must be in [1, 100]; got {seeds}.");
        var explicitOptions = o.Explicit(pr);
        foreach (var name in new[] { "--data", "--test", "--data-dir", "--activation", "--epochs", "--optimizer", "--label-smoothing", "--seed" })
            if (explicitOptions.Contains(name)) throw new InvalidInputException($"{name} does not apply to --task lm (it trains AdamW on --text for --steps; seeds are 0 … --seeds − 1).");
        foreach (var opt in new Option[] { activations, family })
            if (pr.GetResult(opt) is { Implicit: false }) throw new InvalidInputException($"{opt.Name} does not apply to --task lm; list MLP kinds with --mlps.");
        int threads = pr.GetValue(o.Threads);
        if (threads < 1 || threads > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {threads}.");
        string modelText = explicitOptions.Contains("--model") ? pr.GetValue(o.Model)! : "gpt:4x128";
        var spec = UserError.AtBoundary("--model", () => ModelSpec.Parse(modelText));
        var kinds = UserError.AtBoundary("--mlps", () => ActivationCatalog.SplitList(pr.GetValue(Mlps)!).Select(MlpSpec.Parse).ToList());
        if (kinds.Count == 0) throw new InvalidInputException("--mlps: expected at least one MLP kind; got none.");
        var duplicate = kinds.GroupBy(k => k.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidInputException($"--mlps: '{duplicate.Key}' is listed {duplicate.Count()} times.");
        var config = UserError.AtBoundary("--model", () => GptKind.Config(spec, 1, kinds[0]));
        int steps = pr.GetValue(Steps);
        var options = new LanguageModelOptions
        {
            Steps = steps, EvalEvery = Math.Min(pr.GetValue(EvalEvery), Math.Max(steps, 1)),
            BatchSize = explicitOptions.Contains("--batch") ? pr.GetValue(o.Batch) : 32,
            LearningRate = double.Parse(pr.GetValue(o.Lr).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),   // 1e-3f prints as 0.001, not its double expansion
            WeightDecay = explicitOptions.Contains("--weight-decay") ? pr.GetValue(o.WeightDecay) : 0.1,
            WarmupSteps = Math.Min(100, Math.Max(steps, 1)),
        };
        options.Validate();
        Parallelism.MaxThreads = threads;
        var corpus = TextCorpus.Load(pr.GetValue(Text)!);
        Console.WriteLine($"compare lm: text {corpus.Name} ({corpus.Text.Length:N0} characters), {modelText} heads {config.Heads} ctx {config.Context}, " +
                          $"{kinds.Count} MLP kind(s) × {seeds} seed(s), {steps} steps of batch {options.BatchSize}, AdamW lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, {threads} thread(s)");
        var runs = LmComparison.Run(config, options, kinds, seeds, corpus);
        var settings = new Dictionary<string, string>
        {
            ["task"] = "lm", ["text"] = corpus.Name, ["model"] = modelText, ["heads"] = Inv(config.Heads), ["ctx"] = Inv(config.Context),
            ["mlps"] = string.Join(";", kinds.Select(k => k.ToString())), ["seeds"] = Inv(seeds), ["steps"] = Inv(steps),
            ["batch"] = Inv(options.BatchSize), ["lr"] = options.LearningRate.ToString(CultureInfo.InvariantCulture),
            ["weight_decay"] = options.WeightDecay.ToString(CultureInfo.InvariantCulture), ["warmup"] = Inv(options.WarmupSteps),
            ["eval_every"] = Inv(options.EvalEvery), ["threads"] = Inv(threads),
        };
        var rows = LmSummary.Ranked(LmSummary.From(runs));
        AnsiConsole.Write(LmComparisonReport.Table(rows));
        LmComparisonReport.WriteAll(outDir, settings, rows, runs, options.EvalEvery);
        Console.WriteLine($"wrote {string.Join(", ", new[] { "compare.csv", "compare.md", "compare.json", "curves.png" }.Select(f => Path.Combine(outDir, f)))}");
        return 0;
    }

    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
}
