using System.Globalization;
using System.Text;
using System.Text.Json;
using Nonlinear.IO;
using Spectre.Console;

namespace Nonlinear.Cli.Compare;

/// <summary>
/// The reports of `compare --task lm`, the same four files as the classification comparison: compare.csv (one row
/// per MLP kind), compare.md, compare.json (settings, rows and every run's validation curve) and curves.png
/// (validation bits per character at each evaluation, mean over the seeds).
/// </summary>
internal static class LmComparisonReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Table Table(IReadOnlyList<LmSummary> rows)
    {
        var table = new Table().AddColumns("mlp", "hidden", "parameters", "val bpc (mean ± std)", "final train loss", "tokens/s", "status");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Mlp), r.Hidden.ToString(Inv), r.Parameters.ToString("N0", Inv), Bpc(r),
                Num4(r.TrainLossMean), r.TokensPerSecond.ToString("N0", Inv), Markup.Escape(r.Status));
        return table;
    }

    public static readonly string[] CsvColumns =
        ["mlp", "hidden", "parameters", "seeds", "diverged", "status", "val_bpc_mean", "val_bpc_std", "final_train_loss_mean", "tokens_per_s"];

    public static string Csv(IReadOnlyList<LmSummary> rows)
    {
        var sb = new StringBuilder().AppendLine(string.Join(",", CsvColumns));
        foreach (var r in rows)
            sb.AppendLine(string.Join(",", Quote(r.Mlp), r.Hidden.ToString(Inv), r.Parameters.ToString(Inv), r.Seeds.ToString(Inv),
                r.Diverged.ToString(Inv), Quote(r.Status), Num(r.BpcMean), Num(r.BpcStd), Num(r.TrainLossMean), Num(r.TokensPerSecond)));
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<LmSummary> rows)
    {
        var sb = new StringBuilder()
            .AppendLine("| mlp | hidden | parameters | val bpc (mean ± std) | final train loss | tokens/s | status |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Mlp.Replace("|", "\\|")} | {r.Hidden.ToString(Inv)} | {r.Parameters.ToString("N0", Inv)} | {Bpc(r)} | {Num4(r.TrainLossMean)} | {r.TokensPerSecond.ToString("N0", Inv)} | {r.Status} |");
        return sb.ToString();
    }

    public static byte[] Json(IReadOnlyDictionary<string, string> settings, IReadOnlyList<LmSummary> rows, IReadOnlyList<LmRun> runs)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("task", "lm");
            w.WriteStartObject("settings");
            foreach (var (k, v) in settings) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("mlp", r.Mlp);
                w.WriteNumber("hidden", r.Hidden);
                w.WriteNumber("parameters", r.Parameters);
                w.WriteNumber("seeds", r.Seeds);
                w.WriteNumber("diverged", r.Diverged);
                Number(w, "val_bpc_mean", r.BpcMean);
                Number(w, "val_bpc_std", r.BpcStd);
                Number(w, "final_train_loss_mean", r.TrainLossMean);
                Number(w, "tokens_per_s", r.TokensPerSecond);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("runs");
            foreach (var r in runs)
            {
                w.WriteStartObject();
                w.WriteString("mlp", r.Mlp);
                w.WriteNumber("seed", r.Seed);
                w.WriteBoolean("diverged", r.Diverged);
                Number(w, "tokens_per_s", r.TokensPerSecond);
                w.WriteStartArray("curve");
                foreach (var p in r.Curve)
                {
                    w.WriteStartObject();
                    w.WriteNumber("step", p.Step);
                    Number(w, "train_loss", p.TrainLoss);
                    Number(w, "val_bpc", p.ValBpc);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>Writes compare.csv, compare.md, compare.json and curves.png into <paramref name="dir"/>.</summary>
    public static void WriteAll(string dir, IReadOnlyDictionary<string, string> settings, IReadOnlyList<LmSummary> rows, IReadOnlyList<LmRun> runs, int evalEvery)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "compare.csv"), Csv(rows));
        AtomicFile.WriteAllText(Path.Combine(dir, "compare.md"), Markdown(rows));
        AtomicFile.WriteAllBytes(Path.Combine(dir, "compare.json"), Json(settings, rows, runs));
        // focus: every row is drawn (the chart's default focus keeps the rows near the highest value: that suits accuracy, not bpc).
        Plotting.Charts.Curves(Path.Combine(dir, "curves.png"),
            rows.Select(r => (r.Mlp + (r.Diverged > 0 ? $" ({r.Diverged}/{r.Seeds} diverged)" : ""), r.BpcCurve)),
            $"validation bits per character every {evalEvery} steps (mean over seeds)", "val bpc", focus: double.PositiveInfinity);
    }

    private static string Bpc(LmSummary r) => double.IsNaN(r.BpcMean) ? "-" : $"{r.BpcMean.ToString("0.0000", Inv)} ± {r.BpcStd.ToString("0.0000", Inv)}";

    private static string Num4(double v) => double.IsFinite(v) ? v.ToString("0.0000", Inv) : "-";

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("R", Inv) : "";

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
