using System.Diagnostics;
using Nonlinear.Store;

namespace Nonlinear.Tests.Store;

/// <summary>Runs the built CLI as real processes (a worker must be killable with SIGKILL, which in-process runs are not).</summary>
public static class SweepProcesses
{
    /// <summary>"dotnet /…/Nonlinear.Cli.dll": the CLI the test project built beside itself.</summary>
    public static string Command => $"dotnet {Path.Combine(AppContext.BaseDirectory, "Nonlinear.Cli.dll")}";

    public static Process Start(string logFile, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nonlinear.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NONLINEAR_STORE"] = null;
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        var log = new StreamWriter(logFile) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine("stderr: " + e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.Exited += (_, _) => { };
        return p;
    }

    /// <summary>Runs to the end and fails the test with the log when the exit code is not 0.</summary>
    public static void Run(string logFile, params string[] args)
    {
        using var p = Start(logFile, null, args);
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new Xunit.Sdk.XunitException($"timed out: {string.Join(' ', args)}"); }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new Xunit.Sdk.XunitException($"exit {p.ExitCode}: {string.Join(' ', args)}\n{File.ReadAllText(logFile)}");
    }

    /// <summary>The study's arguments: 12 trials, each long enough (~1 s) to be killed in the middle.</summary>
    public static string[] CreateArgs(string store, string name) =>
        ["sweep", "create", "--store", store, "--name", name, "--activations", "relu,tanh", "--models", "mlp:256,256;mlp:64", "--seeds", "3", "--epochs", "5", "--batch", "8"];

    /// <summary>
    /// Waits for a running trial that has saved at least one checkpoint, kills its worker with SIGKILL and returns the
    /// trial's index. The pid is read from the worker's id (host:pid:suffix), so it works for workers Slurm started too.
    /// </summary>
    public static int KillAWorkerMidTrial(StoreUrl url, long study, TimeSpan timeout)
    {
        using var s = RunStore.Open(url);
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var t in s.Trials(study))
                if (t.Status == TrialStatus.Running && t.Checkpoint is string c && File.Exists(c) && t.Worker is string w)
                {
                    int pid = int.Parse(w.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
                    using var victim = Process.GetProcessById(pid);
                    victim.Kill();   // SIGKILL on Linux: no handler, no cleanup
                    victim.WaitForExit();
                    return t.Index;
                }
            Thread.Sleep(50);
        }
        throw new Xunit.Sdk.XunitException("no trial reached its first checkpoint in time");
    }

    /// <summary>Each trial's result by index, after checking that every trial completed exactly once.</summary>
    public static Dictionary<int, IReadOnlyDictionary<string, double>> Results(StoreUrl url, string study, int expected)
    {
        using var s = RunStore.Open(url);
        var trials = s.Trials(s.FindStudy(study)!.Id);
        Xunit.Assert.Equal(expected, trials.Count);
        Xunit.Assert.All(trials, t => Xunit.Assert.Equal((TrialStatus.Completed, 1), (t.Status, t.Completions)));
        return trials.ToDictionary(t => t.Index, t => t.Result);
    }

    /// <summary>Runs the same study with one worker on a fresh SQLite store and asserts every trial's result is identical.</summary>
    public static void AssertSameAsSingleWorker(Dictionary<int, IReadOnlyDictionary<string, double>> results, string study, string logDir)
    {
        using var single = new FreshStore(StoreProvider.Sqlite);
        Run(Path.Combine(logDir, "create-single.log"), CreateArgs(single.Text, study));
        Run(Path.Combine(logDir, "single.log"), "sweep", "work", "--store", single.Text, "--no-wait");
        var reference = Results(single.Url, study, results.Count);
        foreach (var (i, r) in reference) Xunit.Assert.Equal(r.OrderBy(kv => kv.Key), results[i].OrderBy(kv => kv.Key));
    }
}
