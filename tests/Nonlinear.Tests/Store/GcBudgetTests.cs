using System.Text.RegularExpressions;
using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

/// <summary>
/// `sweep work --workers 2` as a real process runs with the 128 MiB gen0 budget it sets for itself (re-executing with
/// DOTNET_GCgen0size); one worker, and a budget the user set, are left alone.
/// </summary>
public class GcBudgetTests
{
    private static (int Collections, string Line) Work(FreshStore s, string name, IReadOnlyDictionary<string, string>? env, int workers)
    {
        string log = Path.Combine(s.Folder, $"{name}.log");
        using (var p = SweepProcesses.Start(log, env, "sweep", "work", "--store", s.Text, "--name", name, "--threads", "1", "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), "sweep work did not finish");
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, File.ReadAllText(log));
        }
        string line = File.ReadAllLines(log).Single(l => l.StartsWith("gc: ", StringComparison.Ordinal));
        return (int.Parse(Regex.Match(line, @"^gc: (\d+)/").Groups[1].Value), line);
    }

    [Fact]
    public void SweepWorkSetsItsGen0BudgetUnlessTheUserDid()
    {
        using var s = new FreshStore(StoreProvider.Sqlite);
        foreach (var name in new[] { "big", "user", "one" })
            SweepProcesses.Run(Path.Combine(s.Folder, $"create-{name}.log"), "sweep", "create", "--store", s.Text, "--name", name, "--activations", "relu",
                "--models", "mlp:256,256", "--seeds", "2", "--epochs", "10", "--batch", "16");
        // Two trials allocate about 0.3 GB: 2–3 collections with a 128 MiB budget, about 16 with the runtime's default
        // (≈ 18 MB on the 32 MB-L3 EPYC this was measured on).
        var (collections, line) = Work(s, "big", null, workers: 2);
        Assert.Contains("gen0 budget 0x8000000", line);
        Assert.InRange(collections, 1, 6);
        (_, line) = Work(s, "user", new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0" }, workers: 2);
        Assert.Contains("gen0 budget 0", line);
        Assert.DoesNotContain("0x8000000", line);
        (_, line) = Work(s, "one", null, workers: 1);
        Assert.Contains("default gen0 budget", line);
    }
}
