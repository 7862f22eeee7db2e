using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nonlinear.Store;

namespace Nonlinear.Dashboard;

/// <summary>
/// The dashboard: a static page that draws with the vendored chart.js, and a JSON API over a store opened read-only.
/// Bound to localhost unless told otherwise. Every response carries a Content-Security-Policy that allows scripts only
/// from this server (no inline script), and the page writes user-supplied text (run names, specs) with textContent,
/// never as HTML: a run named &lt;script&gt; shows as that text.
/// </summary>
public static class DashboardServer
{
    /// <summary>Builds the web application for <paramref name="url"/> listening on <paramref name="host"/>:<paramref name="port"/> (0 = any free port).</summary>
    /// <exception cref="InvalidDataException">The store is not a Nonlinear store.</exception>
    public static WebApplication Build(StoreUrl url, string host = "127.0.0.1", int port = 5117)
    {
        ArgumentNullException.ThrowIfNull(url);
        using (RunStore.Open(url, readOnly: true)) { }   // a missing or malformed store fails here, in one line, not per request
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
            h["X-Content-Type-Options"] = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        StaticAssets.Map(app);
        DashboardApi.Map(app, url);
        return app;
    }

    /// <summary>The address the running <paramref name="app"/> listens on (after StartAsync).</summary>
    public static string Address(WebApplication app) => app.Urls.First();
}
