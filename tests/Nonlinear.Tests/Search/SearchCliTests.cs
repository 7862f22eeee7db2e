using Nonlinear.Store;
using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Search;

/// <summary>`nonlinear search` end to end on digits with a tiny budget: studies in the store, reports and the promotion.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SearchCliTests
{
    [Fact]
    public void ATinySearchScreensThroughTheStoreReportsAndPromotes()
    {
        string dir = CliHarness.TempDir("search");
        try
        {
            string db = Path.Combine(dir, "runs.sqlite"), output = Path.Combine(dir, "out");
            var (code, stdout, err) = CliHarness.Run("search", "--store", db, "--space", "swish-paper", "--budget", "4", "--epochs", "1",
                "--population", "2", "--sample", "2", "--baselines", "relu,silu", "--top", "2", "--promote-seeds", "1", "--promote-epochs", "1",
                "--name", "tiny", "--seed", "7", "--out", output);
            Assert.True(code == 0, stdout + err);
            var csv = File.ReadAllLines(Path.Combine(output, "search.csv"));
            Assert.Equal("rank,source,formula,accuracy,swish_beta,error", csv[0]);
            Assert.Equal(4, csv.Count(l => l.Contains(",search,")));
            Assert.Equal(2, csv.Count(l => l.Contains(",catalog,")));
            // Every screened accuracy is a real digits accuracy (ten classes: far above chance for a trained MLP, at most 1).
            var accs = csv.Skip(1).Select(l => double.Parse(l.Split(',')[^3], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.All(accs, a => Assert.InRange(a, 0, 1));
            Assert.Contains(accs, a => a > 0.5);
            Assert.True(File.Exists(Path.Combine(output, "top.png")));
            Assert.True(File.Exists(Path.Combine(output, "promoted", "compare.csv")));

            using var store = RunStore.Open(StoreUrl.Parse(db));
            var studies = store.Studies().Select(s => s.Name).ToList();
            Assert.Contains("tiny/baselines", studies);
            Assert.Contains("tiny/promoted", studies);
            var promoted = store.Trials(store.FindStudy("tiny/promoted")!.Id);
            Assert.Equal(4, promoted.Count);                          // top 2 + the 2 baselines, one seed
            Assert.All(promoted, t => Assert.Equal(TrialStatus.Completed, t.Status));
            var screening = studies.Where(s => s.StartsWith("tiny/0", StringComparison.Ordinal)).SelectMany(s => store.Trials(store.FindStudy(s)!.Id)).ToList();
            Assert.Equal(4, screening.Count);
            Assert.All(screening, t => Assert.Equal(1, t.Completions));
            Assert.All(screening, t => Assert.Equal("7", t.Config["seed"]));
            Assert.Equal(4, screening.Select(t => t.Config["activation"]).Distinct().Count());

            // The same name again is refused (its studies exist).
            var again = CliHarness.Run("search", "--store", db, "--budget", "1", "--name", "tiny", "--out", output);
            Assert.Equal(2, again.Code);
            Assert.Contains("already exist", again.Err);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
