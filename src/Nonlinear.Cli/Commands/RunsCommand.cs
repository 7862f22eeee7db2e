using System.CommandLine;
using System.Globalization;
using System.Text;
using Nonlinear.Cli.Runs;
using Nonlinear.IO;
using Nonlinear.Store;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear runs list|show|compare|export`: read the run store.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var cmd = new Command("runs", "List, show, compare and export the runs recorded in a store.");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(CompareRuns());
        cmd.Subcommands.Add(Export());
        return cmd;
    }

    private sealed class Filters
    {
        public readonly Option<string?> Store = StoreOption.Create();
        public readonly Option<string?> Status = new("--status") { Description = "Only runs with this status: running, completed, diverged, failed, abandoned." };
        public readonly Option<string?> Kind = new("--kind") { Description = "Only runs of this command: train, compare, fit, sweep-trial, …" };
        public readonly Option<string?> Activation = new("--activation") { Description = "Only runs with this activation spec (as stored, e.g. gelu)." };
        public readonly Option<string?> Model = new("--model") { Description = "Only runs with this model spec (e.g. mlp:64)." };
        public readonly Option<string?> Data = new("--data") { Description = "Only runs on this data set." };
        public readonly Option<string?> Tag = new("--tag") { Description = "Only runs with this tag." };
        public readonly Option<string?> Study = new("--study") { Description = "Only the runs of this sweep study." };
        public readonly Option<int> Limit = new("--limit") { Description = "At most this many runs, newest first.", DefaultValueFactory = _ => 1000 };

        public void AddTo(Command c) { foreach (var o in new Option[] { Store, Status, Kind, Activation, Model, Data, Tag, Study, Limit }) c.Options.Add(o); }

        public (RunStore Store, RunFilter Filter) Read(ParseResult pr)
        {
            int limit = pr.GetValue(Limit);
            if (limit < 1 || limit > 1_000_000) throw new InvalidInputException($"--limit must be in [1, 1000000]; got {limit}.");
            string? status = pr.GetValue(Status);
            string[] statuses = [RunStatus.Running, RunStatus.Completed, RunStatus.Diverged, RunStatus.Failed, RunStatus.Abandoned];
            if (status is not null && !statuses.Contains(status))
                throw new InvalidInputException($"--status: expected one of {string.Join(", ", statuses)}; got '{status}'.");
            var store = StoreOption.Open(pr.GetValue(Store) ?? Environment.GetEnvironmentVariable(StoreOption.EnvironmentVariable));
            long? studyId = null;
            if (pr.GetValue(Study) is string name)
                studyId = (store.FindStudy(name) ?? throw new InvalidInputException($"--study: no study '{name}' in {store.Url}.")).Id;
            return (store, new RunFilter
            {
                Status = status, Kind = pr.GetValue(Kind), Activation = pr.GetValue(Activation), Model = pr.GetValue(Model),
                Data = pr.GetValue(Data), Tag = pr.GetValue(Tag), StudyId = studyId, Limit = limit,
            });
        }
    }

    private static Command List()
    {
        var f = new Filters();
        var cmd = new Command("list", "One line per run: id, kind, status, data, model, activation, seed, final test accuracy, started.");
        f.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            var (store, filter) = f.Read(pr);
            using var _ = store;
            var runs = store.ListRuns(filter);
            var table = new Table().AddColumns("id", "kind", "status", "name", "data", "model", "activation", "seed", "test acc", "epochs", "started (UTC)");
            foreach (var r in runs)
                table.AddRow(Cells(r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Status, r.Name ?? "", r.Data ?? "", r.Model ?? "", r.Activation ?? "",
                    r.Seed?.ToString(CultureInfo.InvariantCulture) ?? "", Final(r, "test_accuracy", "P2"), Final(r, "epoch", "0"),
                    r.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)));
            Screen.Write(table);
            Console.WriteLine($"{runs.Count} run(s) in {store.Url}");
            return 0;
        });
        return cmd;
    }

    private static Command Show()
    {
        var store = StoreOption.Create();
        var id = new Argument<long>("ID") { Description = "The run's id (see runs list)." };
        var cmd = new Command("show", "Everything recorded about one run: configuration, environment, epochs, final metrics.") { id };
        cmd.Options.Add(store);
        cmd.SetAction(pr =>
        {
            using var s = StoreOption.Open(pr.GetValue(store) ?? Environment.GetEnvironmentVariable(StoreOption.EnvironmentVariable));
            var r = Find(s, pr.GetValue(id));
            Console.WriteLine($"run {r.Id}: {r.Kind}, {r.Status}{(r.Name is null ? "" : $", {r.Name}")}; started {r.Started.UtcDateTime:u}" +
                              (r.Finished is { } f ? $", finished {f.UtcDateTime:u}" : "") + (r.Checkpoint is null ? "" : $"; checkpoint {r.Checkpoint}"));
            Section("configuration", r.Config.Select(kv => (kv.Key, kv.Value)));
            Section("environment", r.Environment.Select(kv => (kv.Key, kv.Value)));
            Section("final", r.Final.Select(kv => (kv.Key, kv.Value.ToString("G6", CultureInfo.InvariantCulture))));
            var epochs = s.Epochs(r.Id);
            if (epochs.Count > 0)
            {
                var keys = epochs.SelectMany(e => e.Metrics.Keys).Where(k => k != "epoch").Distinct().ToList();
                var table = new Table().AddColumns(["epoch", .. keys]);
                foreach (var e in epochs)
                    table.AddRow(Cells([e.Epoch.ToString(CultureInfo.InvariantCulture), .. keys.Select(k => e.Metrics.TryGetValue(k, out var v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "")]));
                Screen.Write(table);
            }
            return 0;
        });
        return cmd;
    }

    private static Command CompareRuns()
    {
        var store = StoreOption.Create();
        var ids = new Argument<long[]>("IDS") { Description = "Two or more run ids.", Arity = new ArgumentArity(2, 100) };
        var cmd = new Command("compare", "Runs side by side: the configuration keys that differ, then the final metrics.") { ids };
        cmd.Options.Add(store);
        cmd.SetAction(pr =>
        {
            using var s = StoreOption.Open(pr.GetValue(store) ?? Environment.GetEnvironmentVariable(StoreOption.EnvironmentVariable));
            var runs = pr.GetValue(ids)!.Select(i => Find(s, i)).ToList();
            var table = new Table().AddColumns(["", .. runs.Select(r => $"run {r.Id}")]);
            var keys = runs.SelectMany(r => r.Config.Keys).Distinct().Order(StringComparer.Ordinal);
            foreach (var k in keys)
            {
                var values = runs.Select(r => r.Config.GetValueOrDefault(k, "")).ToList();
                if (values.Distinct().Count() > 1) table.AddRow(Cells([k, .. values]));
            }
            foreach (var k in runs.SelectMany(r => r.Final.Keys).Distinct())
                table.AddRow(Cells([k, .. runs.Select(r => r.Final.TryGetValue(k, out var v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "")]));
            Screen.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Export()
    {
        var f = new Filters();
        var csv = new Option<string>("--csv") { Description = "Write the runs (one row each, final metrics as columns) to this CSV file.", Required = true };
        var cmd = new Command("export", "Export the runs that match the filters as CSV.");
        f.AddTo(cmd);
        cmd.Options.Add(csv);
        cmd.SetAction(pr =>
        {
            var (store, filter) = f.Read(pr);
            using var _ = store;
            string path = pr.GetValue(csv)!;
            CliPaths.RequireOutputFile("--csv", path, ".csv");
            var runs = store.ListRuns(filter);
            AtomicFile.WriteAllText(path, RunsCsv.Write(runs));
            Console.WriteLine($"wrote {runs.Count} run(s) to {path}");
            return 0;
        });
        return cmd;
    }

    private static StoredRun Find(RunStore s, long id) => s.GetRun(id) ?? throw new InvalidInputException($"ID: no run {id} in {s.Url} (see runs list).");

    private static string Final(StoredRun r, string key, string format) =>
        r.Final.TryGetValue(key, out var v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    /// <summary>Table cells as plain text: run names and specs come from users and must not be read as Spectre markup.</summary>
    private static Spectre.Console.Rendering.IRenderable[] Cells(params string[] values) => values.Select(v => (Spectre.Console.Rendering.IRenderable)new Text(v)).ToArray();

    private static void Section(string title, IEnumerable<(string Key, string Value)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0) return;
        Console.WriteLine($"{title}:");
        foreach (var (k, v) in list.OrderBy(x => x.Key, StringComparer.Ordinal)) Console.WriteLine($"  {k} = {v}");
    }
}

/// <summary>Runs as CSV: fixed columns, then every configuration and final-metric key that any run has.</summary>
internal static class RunsCsv
{
    public static string Write(IReadOnlyList<StoredRun> runs)
    {
        var configKeys = runs.SelectMany(r => r.Config.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var finalKeys = runs.SelectMany(r => r.Final.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", new[] { "id", "kind", "status", "name", "started_utc", "finished_utc", "checkpoint" }
            .Concat(configKeys.Select(k => "config." + k)).Concat(finalKeys.Select(k => "final." + k)).Select(Quote)));
        foreach (var r in runs)
        {
            var cells = new List<string>
            {
                r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Status, r.Name ?? "",
                r.Started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), r.Finished?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "", r.Checkpoint ?? "",
            };
            cells.AddRange(configKeys.Select(k => r.Config.GetValueOrDefault(k, "")));
            cells.AddRange(finalKeys.Select(k => r.Final.TryGetValue(k, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : ""));
            sb.AppendLine(string.Join(",", cells.Select(Quote)));
        }
        return sb.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run it as a formula.</summary>
    private static string Quote(string v)
    {
        if (v.Length > 0 && "=+-@".Contains(v[0]) && !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) v = "'" + v;
        return v.IndexOfAny([',', '"', '\n', '\r']) < 0 ? v : "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
