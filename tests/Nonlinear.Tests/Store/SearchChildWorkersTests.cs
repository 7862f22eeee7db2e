using System.Text.RegularExpressions;
using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>
/// `search --workers 2` from the real executable: one worker in the search process and one `sweep work` child process
/// (children cannot start under the test host, so the search runs as a process here). Every screening trial completes
/// exactly once, whichever worker took it, and the child's own report reaches the search's workers.log.
/// </summary>
public class SearchChildWorkersTests
{
    [Fact]
    public void ASearchWithTwoWorkersRunsAChildWorkerProcess()
    {
        using var fresh = new FreshStore(StoreProvider.Sqlite);
        string output = Path.Combine(fresh.Folder, "out");
        string log = Path.Combine(fresh.Folder, "search.log");
        SweepProcesses.Run(log, "search", "--store", fresh.Text, "--budget", "8", "--epochs", "3", "--population", "4", "--sample", "2",
            "--baselines", "relu", "--top", "2", "--promote-seeds", "0", "--name", "kids", "--seed", "3", "--workers", "2", "--out", output);
        Assert.DoesNotContain("child workers could not be started", File.ReadAllText(log));

        var workersLog = File.ReadAllText(Path.Combine(output, "workers.log"));
        // Only `sweep work` processes print this line (the in-process worker reports through the search itself).
        var children = Regex.Matches(workersLog, @"worker (\S+): completed (\d+) trial\(s\)");
        Assert.NotEmpty(children);

        using var s = fresh.Open();
        var screening = s.Studies().Where(x => x.Name.StartsWith("kids/", StringComparison.Ordinal)).SelectMany(x => s.Trials(x.Id)).ToList();
        Assert.Equal(8 + 1, screening.Count);   // the budget and the one baseline
        Assert.All(screening, t => Assert.Equal((TrialStatus.Completed, 1), (t.Status, t.Completions)));
        // The trials the children report completing are trials of this search, recorded under the children's names.
        int byChildren = children.Sum(m => int.Parse(m.Groups[2].Value));
        var childIds = children.Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(byChildren, screening.Count(t => childIds.Contains(t.Worker!)));
    }
}
