using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Nonlinear.Dashboard;

/// <summary>The embedded page, script, style and chart library, each with its content type.</summary>
internal static class StaticAssets
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".md"] = "text/plain; charset=utf-8", [".txt"] = "text/plain; charset=utf-8", [".svg"] = "image/svg+xml",
    };

    public static void Map(WebApplication app)
    {
        var asm = typeof(StaticAssets).Assembly;
        var names = asm.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)).ToHashSet();
        app.MapGet("/", () => Serve(asm, "wwwroot/index.html"));
        app.MapGet("/static/{**path}", (string path) =>
            names.Contains("wwwroot/" + path) ? Serve(asm, "wwwroot/" + path) : Results.NotFound());
    }

    private static IResult Serve(Assembly asm, string name)
    {
        var type = Types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        using var s = asm.GetManifestResourceStream(name)!;
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return Results.Bytes(ms.ToArray(), type);
    }
}
