using System.Text.RegularExpressions;
using Nonlinear.Store;
using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>`sweep work --workers N`: N workers in one process claim each trial once and get a single worker's results.</summary>
[Collection(nameof(ConsoleCollection))]
public class WorkerThreadsTests
{
    [Fact]
    public void ThreeWorkersInOneProcessCompleteEveryTrialOnceWithTheSingleWorkerResults()
    {
        using var three = new FreshStore(StoreProvider.Sqlite);
        using var one = new FreshStore(StoreProvider.Sqlite);
        string[] create = ["--name", "w", "--activations", "relu,tanh,gelu", "--models", "mlp:32", "--seeds", "2", "--epochs", "2", "--batch", "32"];
        foreach (var s in new[] { three, one })
        {
            var (c, _, e) = CliHarness.Run(["sweep", "create", "--store", s.Text, .. create]);
            Assert.True(c == 0, e);
        }
        var (code, output, err) = CliHarness.Run("sweep", "work", "--store", three.Text, "--workers", "3", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("3 workers on", output);
        var lines = Regex.Matches(output, @"worker (\S+): completed (\d+) trial\(s\)");
        Assert.Equal(3, lines.Select(m => m.Groups[1].Value).Distinct().Count());
        Assert.Equal(6, lines.Sum(m => int.Parse(m.Groups[2].Value)));
        (code, _, err) = CliHarness.Run("sweep", "work", "--store", one.Text, "--threads", "1");
        Assert.True(code == 0, err);

        var results = SweepProcesses.Results(three.Url, "w", 6);
        var reference = SweepProcesses.Results(one.Url, "w", 6);
        foreach (var (i, r) in reference) Assert.Equal(r.OrderBy(kv => kv.Key), results[i].OrderBy(kv => kv.Key));
        using var store = three.Open();
        var workers = lines.Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(store.Trials(store.FindStudy("w")!.Id), t => Assert.Contains(t.Worker!, workers));
    }

    [Fact]
    public void WorkersOutOfRangeIsOneLine()
    {
        var (code, _, err) = CliHarness.Run("sweep", "work", "--store", Path.Combine(Path.GetTempPath(), "unused.sqlite"), "--workers", "0");
        Assert.Equal(2, code);
        Assert.Contains("--workers must be in [1, 256]; got 0.", err);
    }
}
