using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>
/// Sweeps run by real worker processes, one killed with SIGKILL in the middle of a trial: every trial completes exactly
/// once, the killed trial resumes from its checkpoint, and every result equals a single worker's run of the same study.
/// </summary>
public class SweepWorkerTests
{
    [Fact]
    public void KilledWorkerLosesNoTrialSqlite()
    {
        using var fresh = new FreshStore(StoreProvider.Sqlite);
        string log(string n) => Path.Combine(fresh.Folder, n + ".log");
        SweepProcesses.Run(log("create"), SweepProcesses.CreateArgs(fresh.Text, "s"));
        long study;
        using (var s = fresh.Open()) study = s.FindStudy("s")!.Id;
        string[] work = ["sweep", "work", "--store", fresh.Text, "--lease", "3", "--heartbeat", "0.5", "--checkpoint-every", "0"];
        var workers = Enumerable.Range(0, 3).Select(i => SweepProcesses.Start(log($"w{i}"), null, work)).ToList();
        int killed = SweepProcesses.KillAWorkerMidTrial(fresh.Url, study, TimeSpan.FromMinutes(3));
        foreach (var w in workers) Assert.True(w.WaitForExit(TimeSpan.FromMinutes(5)), "a worker did not finish");
        var results = SweepProcesses.Results(fresh.Url, "s", 12);

        using (var s = fresh.Open())
        {
            var trial = s.Trials(study).Single(t => t.Index == killed);
            Assert.Equal(2, trial.Attempts);
            var runs = s.ListRuns(new RunFilter { StudyId = study }).Where(r => r.TrialId == trial.Id).ToList();
            Assert.Equal([RunStatus.Completed, RunStatus.Abandoned], runs.Select(r => r.Status));
            // The second worker resumed after the epochs the first had checkpointed: it recorded fewer than all 5.
            Assert.InRange(s.Epochs(runs[0].Id).Count, 1, 4);
        }
        Assert.Contains(Enumerable.Range(0, 3).Select(i => File.ReadAllText(log($"w{i}"))), l => l.Contains($"trial {killed} of study {study} resumes after epoch"));

        SweepProcesses.AssertSameAsSingleWorker(results, "s", fresh.Folder);
    }
}
