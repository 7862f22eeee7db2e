using System.Globalization;
using System.Text;
using Nonlinear.Activations;
using Nonlinear.IO;
using Nonlinear.Layers;
using Spectre.Console;

namespace Nonlinear.Cli.Search;

/// <summary>
/// What a search reports: every screened function (search.csv), the ranking with the best catalog baseline for reference
/// and whether each top function is Swish-like (search.md and the console), and the top functions and their derivatives
/// plotted (top.png).
/// </summary>
internal static class SearchReport
{
    /// <summary>
    /// β of the x·σ(βx) closest to <paramref name="f"/> on the probe points (β over 0.25 … 4 in steps of 1/16), when its
    /// relative L2 distance is under 2% and under half the distance to relu (large β tends to relu, which is not what "Swish-like"
    /// should mean); null otherwise. This is how "Swish-like forms appear near the top" is decided.
    /// </summary>
    public static double? SwishBeta(Activation f)
    {
        var xs = BehaviourProbe.Points;
        var ys = xs.Select(f.Reference).ToArray();
        double norm = Math.Sqrt(ys.Sum(v => v * v));
        double Distance(Func<double, double> g) => Math.Sqrt(xs.Select((x, i) => g(x) - ys[i]).Sum(v => v * v));
        (double beta, double dist) best = (0, double.PositiveInfinity);
        for (double beta = 0.25; beta <= 4; beta += 1.0 / 16)
        {
            double b = beta, d = Distance(x => x / (1 + Math.Exp(-b * x)));
            if (d < best.dist) best = (beta, d);
        }
        return best.dist <= 0.02 * norm && best.dist <= 0.5 * Distance(x => Math.Max(x, 0)) ? best.beta : null;
    }

    /// <summary>Writes search.csv, search.md and top.png under <paramref name="dir"/>; returns the ranked candidates.</summary>
    public static IReadOnlyList<Screened> Write(string dir, SearchOptions options, IReadOnlyList<Screened> results, (int Discarded, int Duplicates) skipped, int top)
    {
        Directory.CreateDirectory(dir);
        var ranked = results.Where(r => r.Source == "search").OrderByDescending(r => r.Accuracy).ThenBy(r => r.Formula, StringComparer.Ordinal).ToList();
        var baselines = results.Where(r => r.Source == "catalog").OrderByDescending(r => r.Accuracy).ToList();
        var csv = new StringBuilder("rank,source,formula,accuracy,swish_beta,error\n");
        int rank = 0;
        foreach (var r in ranked.Concat(baselines))
            csv.Append(CultureInfo.InvariantCulture, $"{(r.Source == "search" ? ++rank : 0)},{r.Source},{Quote(r.Formula)},{r.Accuracy:R},{Beta(r)},{Quote(r.Error ?? "")}\n");
        AtomicFile.WriteAllText(Path.Combine(dir, "search.csv"), csv.ToString());

        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Activation search '{options.Name}'\n\nspace {options.Space.Name}, budget {options.Budget}, data {options.Data}, model {options.Model}, ");
        md.Append(CultureInfo.InvariantCulture, $"{options.Epochs} epoch(s), seed {options.Seed}; population {options.Population}, tournament {options.Sample}; ");
        md.Append(CultureInfo.InvariantCulture, $"{ranked.Count} screened, {skipped.Discarded} discarded by the probe, {skipped.Duplicates} repeated a known behaviour.\n\n");
        md.Append("| rank | formula | held-out accuracy | Swish-like (β) |\n|---:|---|---:|---|\n");
        foreach (var (r, i) in ranked.Take(Math.Max(top, 10)).Select((r, i) => (r, i)))
            md.Append(CultureInfo.InvariantCulture, $"| {i + 1} | `{r.Formula}` | {r.Accuracy:P2} | {Beta(r)} |\n");
        md.Append("\n| catalog baseline | held-out accuracy |\n|---|---:|\n");
        foreach (var b in baselines) md.Append(CultureInfo.InvariantCulture, $"| {b.Formula} | {b.Accuracy:P2} |\n");
        AtomicFile.WriteAllText(Path.Combine(dir, "search.md"), md.ToString());

        var table = new Table().AddColumns("rank", "formula", "accuracy", "Swish-like β");
        foreach (var (r, i) in ranked.Take(top).Select((r, i) => (r, i)))
            table.AddRow(new Text((i + 1).ToString(CultureInfo.InvariantCulture)), new Text(r.Formula), new Text(r.Accuracy.ToString("P2", CultureInfo.InvariantCulture)), new Text(Beta(r)));
        if (baselines.Count > 0)
            table.AddRow(new Text("best catalog"), new Text(baselines[0].Formula), new Text(baselines[0].Accuracy.ToString("P2", CultureInfo.InvariantCulture)), new Text(""));
        Runs.Screen.Write(table);

        var plotted = ranked.Take(top).Select(r => ActivationSpec.Parse(r.Formula).Fixed!).ToList();
        if (plotted.Count > 0) Plotting.Charts.Activations(Path.Combine(dir, "top.png"), plotted, -5, 5);
        return ranked;
    }

    private static string Beta(Screened r) =>
        SwishBeta(ActivationSpec.Parse(r.Formula).Fixed!) is double b ? b.ToString("0.###", CultureInfo.InvariantCulture) : "";

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
