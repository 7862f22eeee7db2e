using System.CommandLine;
using Nonlinear.Cli.Runs;
using Nonlinear.Dashboard;
using Nonlinear.Store;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear serve`: the read-only dashboard of a run store in the browser.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create(required: true);
        var host = new Option<string>("--host") { Description = "Address to bind: 127.0.0.1 (this machine only) by default; 0.0.0.0 exposes the store's runs to the network.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port.", DefaultValueFactory = _ => 5117 };
        var cmd = new Command("serve", "Serve a read-only dashboard of a run store: runs with filters, learning curves, study tables, activation plots.");
        foreach (var o in new Option[] { store, host, port }) cmd.Options.Add(o);
        cmd.SetAction(async (pr, cancel) =>
        {
            int p = pr.GetValue(port);
            if (p < 0 || p > 65535) throw new InvalidInputException($"--port must be in [0, 65535]; got {p}.");
            string h = pr.GetValue(host)!;
            if (!System.Net.IPAddress.TryParse(h, out _) && h != "localhost") throw new InvalidInputException($"--host: expected an IP address or localhost; got '{h}'.");
            var url = StoreUrl.Parse(pr.GetValue(store)!);
            var app = DashboardServer.Build(url, h, p);
            try { await app.StartAsync(cancel); }
            catch (IOException e) { throw new InvalidInputException($"--port {p}: cannot listen on {h}:{p}: {e.Message}", e); }
            Console.WriteLine($"serving {url} at {DashboardServer.Address(app)} (read-only; Ctrl+C stops)");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return cmd;
    }
}
