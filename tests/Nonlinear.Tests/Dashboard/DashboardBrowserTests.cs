using Microsoft.Playwright;
using Nonlinear.Dashboard;
using Nonlinear.Store;
using Nonlinear.Tests.Store;
using Xunit;

namespace Nonlinear.Tests.Dashboard;

/// <summary>Runs where Debian's chromium is installed (.ci/run installs it); skipped with the reason elsewhere.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";
    public ChromiumFactAttribute() { if (!File.Exists(Executable)) Skip = $"{Executable} is absent (apt-get install chromium); the dashboard's browser test needs it."; }
}

/// <summary>The dashboard in a real headless browser: the table lists the runs, a curve renders, run names stay text.</summary>
public class DashboardBrowserTests
{
    private const string Hostile = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";

    private static long Seed(RunStore s)
    {
        long a = s.StartRun(new RunStart("train", new Dictionary<string, string> { ["data"] = "digits", ["model"] = "mlp:16", ["activation"] = "gelu", ["seed"] = "0" }) { Name = Hostile });
        double[] acc = [0.41, 0.77, 0.86];
        for (int e = 0; e < acc.Length; e++)
            s.RecordEpoch(a, e + 1, new Dictionary<string, double> { ["test_accuracy"] = acc[e], ["train_accuracy"] = acc[e] - 0.02, ["test_loss"] = 2 - e * 0.6, ["train_loss"] = 2.1 - e * 0.6 });
        s.FinishRun(a, RunStatus.Completed, new Dictionary<string, double> { ["test_accuracy"] = 0.86, ["bad"] = double.NaN });
        long b = s.StartRun(new RunStart("compare", new Dictionary<string, string> { ["data"] = "digits", ["model"] = "mlp:16", ["activation"] = "relu", ["seed"] = "1" }) { Name = "relu seed 1" });
        s.FinishRun(b, RunStatus.Diverged, new Dictionary<string, double>());
        long study = s.CreateStudy("<b>study</b>", new Dictionary<string, string>(), [new Dictionary<string, string> { ["data"] = "digits", ["model"] = "mlp:16", ["activation"] = "tanh", ["seed"] = "0" }]);
        var t = s.Claim("w", TimeSpan.FromMinutes(1), study)!;
        s.CompleteTrial(t.Id, "w", a, new Dictionary<string, double> { ["test_accuracy"] = 0.5, ["test_loss"] = 1.25 });
        return a;
    }

    [ChromiumFact]
    public async Task PageListsRunsDrawsCurvesAndShowsNamesAsText()
    {
        using var fresh = new FreshStore(StoreProvider.Sqlite);
        long id;
        using (var s = fresh.Open()) id = Seed(s);
        await using var app = DashboardServer.Build(fresh.Url, "127.0.0.1", 0);
        await app.StartAsync();
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

        await page.GotoAsync(DashboardServer.Address(app));
        await page.WaitForSelectorAsync("body[data-ready='1']", new() { Timeout = 30_000 });
        Assert.Equal(2, await page.Locator("#runs tbody tr").CountAsync());
        Assert.Equal(Hostile, await page.Locator($"#runs tbody tr[data-id='{id}'] td:nth-child(4)").TextContentAsync());
        Assert.Equal("86.00 %", await page.Locator($"#runs tbody tr[data-id='{id}'] td:nth-child(9)").TextContentAsync());
        Assert.Equal("<b>study</b>", await page.Locator("#studies tbody tr td:nth-child(1)").TextContentAsync());
        Assert.Equal("50.00 % ± 0.00 %", await page.Locator("#studies tbody tr td:nth-child(6)").TextContentAsync());

        await page.Locator($"#runs tbody tr[data-id='{id}']").ClickAsync();
        await page.WaitForSelectorAsync($"body[data-curve='{id}']");
        var accuracy = await page.EvaluateAsync<double[]>("() => Chart.getChart('curve-acc').data.datasets[0].data");
        Assert.Equal(new[] { 0.41, 0.77, 0.86 }, accuracy);
        // Drawn, not only configured: the canvas has a few thousand painted pixels.
        int painted = await page.EvaluateAsync<int>("() => { const c = document.getElementById('curve-acc'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }");
        Assert.InRange(painted, 2000, 600 * 320);
        Assert.Equal(201, await page.EvaluateAsync<int>("() => Chart.getChart('act-chart').data.datasets[0].data.length"));

        Assert.Equal(0, dialogs);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        if (Environment.GetEnvironmentVariable("NONLINEAR_DASHBOARD_SCREENSHOT") is { Length: > 0 } shot)
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        await app.StopAsync();
    }

    [Fact]
    public void AMalformedStoreIsRefusedBeforeServing()
    {
        using var fresh = new FreshStore(StoreProvider.Sqlite);
        string junk = Path.Combine(fresh.Folder, "junk.sqlite");
        File.WriteAllText(junk, new string('x', 4096));
        Assert.Throws<InvalidDataException>(() => DashboardServer.Build(StoreUrl.Parse(junk), "127.0.0.1", 0));
        var e = Assert.Throws<InvalidInputException>(() => DashboardServer.Build(StoreUrl.Parse(Path.Combine(fresh.Folder, "none.sqlite")), "127.0.0.1", 0));
        Assert.Contains("no store at", e.Message);
        Assert.False(File.Exists(Path.Combine(fresh.Folder, "none.sqlite")));   // read-only: nothing created
    }
}
