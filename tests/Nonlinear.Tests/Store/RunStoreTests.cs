using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>The store's contract, run against SQLite always and against PostgreSQL where it is available.</summary>
public class RunStoreTests
{
    [Fact] public void RunsRoundTripSqlite() => RunsRoundTrip(StoreProvider.Sqlite);
    [PostgresFact] public void RunsRoundTripPostgres() => RunsRoundTrip(StoreProvider.Postgres);
    [Fact] public void ClaimsAreExclusiveSqlite() => ClaimsAreExclusive(StoreProvider.Sqlite);
    [PostgresFact] public void ClaimsAreExclusivePostgres() => ClaimsAreExclusive(StoreProvider.Postgres);
    [Fact] public void ExpiredLeasesMoveTheTrialSqlite() => ExpiredLeasesMoveTheTrial(StoreProvider.Sqlite);
    [PostgresFact] public void ExpiredLeasesMoveTheTrialPostgres() => ExpiredLeasesMoveTheTrial(StoreProvider.Postgres);

    private static Dictionary<string, string> Config(string act, int seed) =>
        new() { ["data"] = "digits", ["model"] = "mlp:8", ["activation"] = act, ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["lr"] = "0.001" };

    private static void RunsRoundTrip(StoreProvider provider)
    {
        using var fresh = new FreshStore(provider);
        using var s = fresh.Open();
        Assert.Equal(1, s.SchemaVersion);
        long a = s.StartRun(new RunStart("train", Config("gelu", 3)) { Tags = ["x", "y"], Checkpoint = "/tmp/a.safetensors" });
        long b = s.StartRun(new RunStart("compare", Config("relu", 0)) { Name = "relu seed 0" });
        s.RecordEpoch(a, 1, new Dictionary<string, double> { ["train_loss"] = 2.5, ["test_accuracy"] = 0.25, ["seconds"] = 1 });
        s.RecordEpoch(a, 2, new Dictionary<string, double> { ["train_loss"] = double.NaN, ["test_accuracy"] = 0.5 });
        s.RecordEpoch(a, 2, new Dictionary<string, double> { ["train_loss"] = 1.5, ["test_accuracy"] = 0.75 });   // a resumed run repeats an epoch
        s.FinishRun(a, RunStatus.Completed, new Dictionary<string, double> { ["test_accuracy"] = 0.75, ["odd"] = double.PositiveInfinity });

        var run = s.GetRun(a)!;
        Assert.Equal(("train", RunStatus.Completed, "gelu", 3UL, "digits", "mlp:8"), (run.Kind, run.Status, run.Activation, run.Seed!.Value, run.Data, run.Model));
        Assert.Equal(["x", "y"], run.Tags);
        Assert.Equal("0.001", run.Config["lr"]);
        Assert.Equal(0.75, run.Final["test_accuracy"]);
        Assert.Equal(double.PositiveInfinity, run.Final["odd"]);
        Assert.NotNull(run.Finished);
        Assert.True(run.Environment.ContainsKey("isa") && run.Environment.ContainsKey("commit"));
        var epochs = s.Epochs(a);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal(1.5, epochs[1].Metrics["train_loss"]);

        Assert.Equal([b, a], s.ListRuns().Select(r => r.Id));
        Assert.Equal([a], s.ListRuns(new RunFilter { Status = RunStatus.Completed }).Select(r => r.Id));
        Assert.Equal([b], s.ListRuns(new RunFilter { Kind = "compare" }).Select(r => r.Id));
        Assert.Equal([a], s.ListRuns(new RunFilter { Tag = "y" }).Select(r => r.Id));
        Assert.Throws<InvalidInputException>(() => s.ListRuns(new RunFilter { Tag = "x,y" }));
        Assert.Empty(s.ListRuns(new RunFilter { Tag = "%" }));
        Assert.Equal([a], s.ListRuns(new RunFilter { Activation = "gelu", Data = "digits", Model = "mlp:8" }).Select(r => r.Id));
        Assert.Equal([b], s.ListRuns(new RunFilter { Limit = 1 }).Select(r => r.Id));
        Assert.Null(s.GetRun(999));

        // A second process opening the migrated store does not migrate again.
        using var again = fresh.Open();
        Assert.Equal(2, again.ListRuns().Count);
    }

    private static void ClaimsAreExclusive(StoreProvider provider)
    {
        using var fresh = new FreshStore(provider);
        const int trials = 40;
        long study;
        using (var s = fresh.Open())
            study = s.CreateStudy("race", new Dictionary<string, string>(), Enumerable.Range(0, trials).Select(i => (IReadOnlyDictionary<string, string>)Config("relu", i)).ToList());
        // Four workers, each with its own connection, claim as fast as they can: every trial goes to exactly one.
        var claimed = new System.Collections.Concurrent.ConcurrentBag<(string Worker, long Trial)>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            using var s = fresh.Open();
            string me = $"w{w}";
            while (s.Claim(me, TimeSpan.FromHours(1), study) is { } t)
            {
                claimed.Add((me, t.Id));
                Assert.True(s.CompleteTrial(t.Id, me, 0, new Dictionary<string, double> { ["i"] = t.Index }));
            }
        });
        Assert.Equal(trials, claimed.Count);
        Assert.Equal(trials, claimed.Select(c => c.Trial).Distinct().Count());
        using var check = fresh.Open();
        Assert.All(check.Trials(study), t => Assert.Equal((TrialStatus.Completed, 1, 1), (t.Status, t.Attempts, t.Completions)));
        Assert.Throws<InvalidInputException>(() => check.CreateStudy("race", new Dictionary<string, string>(), []));
    }

    private static void ExpiredLeasesMoveTheTrial(StoreProvider provider)
    {
        using var fresh = new FreshStore(provider);
        using var s = fresh.Open();
        long study = s.CreateStudy("lease", new Dictionary<string, string> { ["k"] = "v" }, [Config("tanh", 0)]);
        var t = s.Claim("dead", TimeSpan.FromSeconds(60), study)!;
        long run = s.StartRun(new RunStart("sweep-trial", t.Config) { StudyId = study, TrialId = t.Id });
        Assert.True(s.Heartbeat(t.Id, "dead"));
        Assert.Null(s.Claim("alive", TimeSpan.FromSeconds(60), study));          // the lease holds
        Thread.Sleep(300);
        var again = s.Claim("alive", TimeSpan.FromMilliseconds(100), study)!;    // expired: taken over
        Assert.Equal((t.Id, 2, "alive"), (again.Id, again.Attempts, again.Worker));
        Assert.Equal(RunStatus.Abandoned, s.GetRun(run)!.Status);
        Assert.False(s.Heartbeat(t.Id, "dead"));
        Assert.False(s.CompleteTrial(t.Id, "dead", run, new Dictionary<string, double>()));
        Assert.True(s.CompleteTrial(t.Id, "alive", run, new Dictionary<string, double> { ["a"] = 1 }));
        Assert.False(s.CompleteTrial(t.Id, "alive", run, new Dictionary<string, double>()));   // once
        var done = s.Trials(study).Single();
        Assert.Equal((TrialStatus.Completed, 1, 1.0), (done.Status, done.Completions, done.Result["a"]));
        Assert.Equal("v", s.FindStudy("lease")!.Config["k"]);
    }

    [Fact]
    public void ANewerSchemaOrAForeignFileIsRefused()
    {
        using var fresh = new FreshStore(StoreProvider.Sqlite);
        using (var s = fresh.Open()) { }
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection(fresh.Url.ConnectionString))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_version (version) VALUES (99)";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<InvalidDataException>(() => fresh.Open());
        Assert.Contains("schema version 99", e.Message);

        string junk = Path.Combine(fresh.Folder, "junk.sqlite");
        File.WriteAllText(junk, "this is not a database, just text that is long enough to have a header of some kind......");
        Assert.Throws<InvalidDataException>(() => RunStore.Open(StoreUrl.Parse(junk)));
    }
}
