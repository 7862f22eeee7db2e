using System.CommandLine;
using System.Globalization;
using Nonlinear.Cli.Compare;
using Nonlinear.Cli.Runs;
using Nonlinear.Store;
using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear sweep create|work|status|report`: a study of trials kept in a run store, run by any number of workers on
/// any number of machines (Slurm job arrays and Kubernetes Indexed Jobs start them: see deploy/).
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var cmd = new Command("sweep", "Studies of trials (data × model × activation × seed) run by many workers through a shared store.");
        cmd.Subcommands.Add(CreateStudy());
        cmd.Subcommands.Add(Work());
        cmd.Subcommands.Add(Status());
        cmd.Subcommands.Add(Report());
        return cmd;
    }

    private static Option<string> StudyName(bool required) => new("--name")
    {
        Description = "The study's name (unique in the store).", Required = required,
    };

    private static Command CreateStudy()
    {
        var store = StoreOption.Create(required: true);
        var name = StudyName(required: true);
        var acts = new Option<string>("--activations") { Description = "Comma-separated activation specs (learnable units too).", DefaultValueFactory = _ => "relu,gelu" };
        var models = new Option<string>("--models") { Description = "Semicolon-separated model specs (a spec has commas: 'mlp:64;mlp:32,32').", DefaultValueFactory = _ => "mlp:64" };
        var data = new Option<string>("--data") { Description = "Semicolon-separated data sets (digits, fashion-mnist, PATH.csv).", DefaultValueFactory = _ => "digits" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds 0 … N−1 per combination.", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per trial.", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 };
        var lr = new Option<string>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => "1e-3" };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => "adam" };
        var wd = new Option<string>("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => "0" };
        var cmd = new Command("create", "Write a study and its trials (all pending) into the store.");
        foreach (var o in new Option[] { store, name, acts, models, data, seeds, epochs, batch, lr, optimizer, wd }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            int n = pr.GetValue(seeds);
            if (n < 1 || n > 1000) throw new InvalidInputException($"--seeds must be in [1, 1000]; got {n}.");
            var specs = UserError.AtBoundary("--activations", () => Nonlinear.Layers.ActivationSpec.ParseList(pr.GetValue(acts)!));
            if (!OptimizerKinds.TryParse(pr.GetValue(optimizer), out var kind))
                throw new InvalidInputException($"--optimizer: expected {OptimizerKinds.Expected}; got '{pr.GetValue(optimizer)}'.");
            var shared = new Dictionary<string, string>
            {
                ["epochs"] = pr.GetValue(epochs).ToString(CultureInfo.InvariantCulture), ["batch"] = pr.GetValue(batch).ToString(CultureInfo.InvariantCulture),
                ["lr"] = Number("--lr", pr.GetValue(lr)!), ["optimizer"] = OptimizerKinds.Name(kind), ["weight_decay"] = Number("--weight-decay", pr.GetValue(wd)!),
                ["label_smoothing"] = "0",
            };
            var trials = SweepTrials.Expand(Split(pr.GetValue(data)!, "--data"), Split(pr.GetValue(models)!, "--models"), specs, n, shared);
            using var s = StoreOption.Open(pr.GetValue(store));
            var config = new Dictionary<string, string>(shared)
            {
                ["activations"] = pr.GetValue(acts)!, ["models"] = pr.GetValue(models)!, ["data"] = pr.GetValue(data)!, ["seeds"] = n.ToString(CultureInfo.InvariantCulture),
            };
            long id = s.CreateStudy(pr.GetValue(name)!, config, trials);
            Console.WriteLine($"study '{pr.GetValue(name)}' (id {id}): {trials.Count} trial(s) in {s.Url}; start workers with: nonlinear sweep work --store URL");
            return 0;
        });
        return cmd;
    }

    private static Command Work()
    {
        var store = StoreOption.Create(required: true);
        var name = StudyName(required: false);
        name.Description = "Work only on this study (default: any study in the store).";
        var lease = new Option<double>("--lease") { Description = "Seconds without a heartbeat after which a running trial's worker is presumed dead.", DefaultValueFactory = _ => 60 };
        var beat = new Option<double>("--heartbeat") { Description = "Seconds between heartbeats (below --lease / 3).", DefaultValueFactory = _ => 10 };
        var ckpt = new Option<string?>("--checkpoints") { Description = "Folder for trial checkpoints, shared by all workers (default: beside a SQLite store; required with PostgreSQL)." };
        var threads = new Option<int>("--threads") { Description = "Threads per worker.", DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-trials") { Description = "Stop after completing this many trials.", DefaultValueFactory = _ => int.MaxValue };
        var every = new Option<double>("--checkpoint-every") { Description = "Least seconds between two checkpoints of a trial (0: every epoch).", DefaultValueFactory = _ => 10 };
        var noWait = new Option<bool>("--no-wait") { Description = "Exit when nothing is claimable, even while other workers still run trials." };
        var workers = new Option<int>("--workers") { Description = "Workers in this process, each on its own thread with --threads kernel threads (the process start-up is paid once, not per worker; above 1 the process runs with a 128 MiB gen0 budget, DOTNET_GCgen0size, unless that is set).", DefaultValueFactory = _ => 1 };
        var cmd = new Command("work", "Claim trials one at a time, train them, record the results; exit when the study is done.");
        foreach (var o in new Option[] { store, name, lease, beat, ckpt, threads, max, every, noWait, workers }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            double l = pr.GetValue(lease), b = pr.GetValue(beat);
            if (!(l >= 1 && l <= 86400)) throw new InvalidInputException($"--lease must be in [1, 86400] seconds; got {l}.");
            if (!(b > 0 && b <= l / 3)) throw new InvalidInputException($"--heartbeat must be in (0, --lease/3 = {l / 3:G4}] seconds; got {b}.");
            int t = pr.GetValue(threads);
            if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
            int m = pr.GetValue(max);
            if (m < 1) throw new InvalidInputException($"--max-trials must be ≥ 1; got {m}.");
            int nw = pr.GetValue(workers);
            if (nw < 1 || nw > 256) throw new InvalidInputException($"--workers must be in [1, 256]; got {nw}.");
            double ce = pr.GetValue(every);
            if (!(ce >= 0 && ce <= 86400)) throw new InvalidInputException($"--checkpoint-every must be in [0, 86400] seconds; got {ce}.");
            using var s = StoreOption.Open(pr.GetValue(store));
            long? studyId = pr.GetValue(name) is string n ? FindStudy(s, n).Id : null;
            string dir = pr.GetValue(ckpt) ?? StoreOption.DefaultCheckpoints(s.Url)
                ?? throw new InvalidInputException("--checkpoints: expected a folder shared by all workers (required with a PostgreSQL store); got none.");
            var options = new WorkerOptions(TimeSpan.FromSeconds(l), TimeSpan.FromSeconds(b), dir, t, m, !pr.GetValue(noWait), studyId) { CheckpointEvery = TimeSpan.FromSeconds(ce) };
            Console.WriteLine($"{(nw == 1 ? "worker" : $"{nw} workers")} on {s.Url}");
            var gc = GcTally.Start();
            foreach (var (id, done) in WorkerThreads.Run(s, nw, options, Console.WriteLine))
                Console.WriteLine($"worker {id}: completed {done} trial(s)");
            Console.WriteLine(gc.Describe());
            return 0;
        });
        return cmd;
    }

    private static Command Status()
    {
        var store = StoreOption.Create(required: true);
        var name = StudyName(required: false);
        var cmd = new Command("status", "Trials per status for each study (or one).");
        cmd.Options.Add(store);
        cmd.Options.Add(name);
        cmd.SetAction(pr =>
        {
            using var s = StoreOption.Open(pr.GetValue(store));
            var studies = pr.GetValue(name) is string n ? [FindStudy(s, n)] : s.Studies();
            var table = new Table().AddColumns("study", "trials", "pending", "running", "completed", "failed", "retried");
            foreach (var st in studies)
            {
                var trials = s.Trials(st.Id);
                int Count(string status) => trials.Count(t => t.Status == status);
                table.AddRow(new Text(st.Name), new Text(trials.Count.ToString(CultureInfo.InvariantCulture)), new Text(Count(TrialStatus.Pending).ToString(CultureInfo.InvariantCulture)),
                    new Text(Count(TrialStatus.Running).ToString(CultureInfo.InvariantCulture)), new Text(Count(TrialStatus.Completed).ToString(CultureInfo.InvariantCulture)),
                    new Text(Count(TrialStatus.Failed).ToString(CultureInfo.InvariantCulture)), new Text(trials.Count(t => t.Attempts > 1).ToString(CultureInfo.InvariantCulture)));
            }
            Screen.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Report()
    {
        var store = StoreOption.Create(required: true);
        var name = StudyName(required: true);
        var output = new Option<string>("--out") { Description = "Folder for compare.csv, compare.md, compare.json and curves.png (one subfolder per data × model when there are several).", Required = true };
        var cmd = new Command("report", "The same table, CSV, JSON and plot as `compare`, from a study's completed trials.");
        foreach (var o in new Option[] { store, name, output }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            using var s = StoreOption.Open(pr.GetValue(store));
            var study = FindStudy(s, pr.GetValue(name)!);
            return SweepReport.Write(s, study, pr.GetValue(output)!);
        });
        return cmd;
    }

    private static Study FindStudy(RunStore s, string name) =>
        s.FindStudy(name) ?? throw new InvalidInputException($"--name: no study '{name}' in {s.Url}; studies: {string.Join(", ", s.Studies().Select(x => x.Name).DefaultIfEmpty("none"))}.");

    private static List<string> Split(string text, string option)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count == 0) throw new InvalidInputException($"{option}: expected at least one value; got '{text}'.");
        if (parts.Distinct().Count() != parts.Count) throw new InvalidInputException($"{option}: a value is listed twice in '{text}'.");
        return parts;
    }

    private static string Number(string option, string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)
            ? text.Trim() : throw new InvalidInputException($"{option}: expected a number; got '{text}'.");
}
