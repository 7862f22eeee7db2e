using System.Diagnostics;
using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>
/// The deployment path end to end: a real single-node Slurm runs deploy/slurm/sweep.sbatch as a 3-task job array
/// against a real PostgreSQL; one array task is killed with SIGKILL mid-trial. Every trial completes exactly once and
/// every result equals a single worker's run of the same study. Skipped, with the reason, where the services are absent.
/// </summary>
public class SlurmSweepTests
{
    [SlurmPostgresFact]
    public void SlurmArrayOnPostgresLosesNoTrialWhenATaskIsKilled()
    {
        using var fresh = new FreshStore(StoreProvider.Postgres);
        string log(string n) => Path.Combine(fresh.Folder, n + ".log");
        SweepProcesses.Run(log("create"), SweepProcesses.CreateArgs(fresh.Text, "slurm"));
        long study;
        using (var s = fresh.Open()) study = s.FindStudy("slurm")!.Id;

        string script = Path.Combine(RepoRoot(), "deploy", "slurm", "sweep.sbatch");
        var psi = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--wait", "--array=0-2", $"--chdir={fresh.Folder}", "--output=task-%a.out", script }) psi.ArgumentList.Add(a);
        psi.Environment["NONLINEAR_STORE"] = fresh.Text;
        psi.Environment["NONLINEAR"] = SweepProcesses.Command;
        psi.Environment["NONLINEAR_SWEEP_ARGS"] = $"--lease 3 --heartbeat 0.5 --checkpoint-every 0 --checkpoints {Path.Combine(fresh.Folder, "checkpoints")}";
        using var sbatch = Process.Start(psi)!;
        int killed = SweepProcesses.KillAWorkerMidTrial(fresh.Url, study, TimeSpan.FromMinutes(3));
        Assert.True(sbatch.WaitForExit(TimeSpan.FromMinutes(8)), "the job array did not finish");
        // The killed task fails (exit status of SIGKILL), so sbatch --wait reports a failure: expected here.
        var results = SweepProcesses.Results(fresh.Url, "slurm", 12);
        var outputs = Directory.GetFiles(fresh.Folder, "task-*.out").Select(File.ReadAllText).ToList();
        Assert.Equal(3, outputs.Count);
        Assert.Contains(outputs, o => o.Contains($"trial {killed} of study {study} resumes after epoch"));
        using (var s = fresh.Open()) Assert.Equal(2, s.Trials(study).Single(t => t.Index == killed).Attempts);

        SweepProcesses.AssertSameAsSingleWorker(results, "slurm", fresh.Folder);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Nonlinear.slnx"))) return d.FullName;
        throw new InvalidOperationException("the repository root (Nonlinear.slnx) is not above the test assembly");
    }
}
