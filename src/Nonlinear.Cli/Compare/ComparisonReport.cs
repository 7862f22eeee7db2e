using System.Globalization;
using System.Text;
using System.Text.Json;
using Nonlinear.IO;
using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli.Compare;

/// <summary>
/// The comparison's outputs: a console table, compare.csv (one row per activation), compare.md (the same as Markdown) and compare.json (the settings,
/// the summaries and every run's per-epoch history). Rows are ordered by mean test accuracy, best first; activations
/// whose every seed diverged come last. Files are written atomically.
/// </summary>
internal static class ComparisonReport
{
    /// <summary>How the dead-unit column is measured (also written into compare.json).</summary>
    public const string DeadUnitDefinition =
        "fraction of hidden units (outputs of the activation layers) whose output is constant over the whole test set after " +
        "training: max - min <= 1e-6 * max(1, max|y|); mean over non-diverged seeds";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<ActivationSummary> Ranked(IEnumerable<ActivationSummary> s) =>
        s.OrderBy(a => double.IsNaN(a.AccuracyMean) ? 1 : 0).ThenByDescending(a => double.IsNaN(a.AccuracyMean) ? 0 : a.AccuracyMean).ToList();

    public static Table Table(IReadOnlyList<ActivationSummary> rows)
    {
        var table = new Table().AddColumns("activation", "test acc (mean ± std)", "final train loss", "s/epoch", "dead units", "status");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Activation),
                double.IsNaN(r.AccuracyMean) ? "-" : $"{r.AccuracyMean:P2} ± {r.AccuracyStd:P2}",
                Loss(r.TrainLossMean),
                $"{r.SecondsPerEpoch:0.00}",
                r.DeadFractionMean is double d ? $"{d:P1}" : "-",
                Markup.Escape(r.Status));
        return table;
    }

    public static readonly string[] CsvColumns =
    [
        "activation", "family", "seeds", "diverged", "status", "test_acc_mean", "test_acc_std",
        "final_train_loss_mean", "final_test_loss_mean", "sec_per_epoch", "dead_unit_fraction", "parameters",
    ];

    public static string Csv(IReadOnlyList<ActivationSummary> rows)
    {
        var sb = new StringBuilder().AppendLine(string.Join(",", CsvColumns));
        foreach (var r in rows)
            sb.AppendLine(string.Join(",", new[]
            {
                Quote(r.Activation), Quote(r.Family), r.Seeds.ToString(Inv), r.Diverged.ToString(Inv), Quote(r.Status),
                Num(r.AccuracyMean), Num(r.AccuracyStd), Num(r.TrainLossMean), Num(r.TestLossMean),
                Num(r.SecondsPerEpoch), r.DeadFractionMean is double d ? Num(d) : "", r.Parameters.ToString(Inv),
            }));
        return sb.ToString();
    }

    /// <summary>The table as Markdown (for REPRODUCTIONS.md and reports): accuracy and std in percent, with the status.</summary>
    public static string Markdown(IReadOnlyList<ActivationSummary> rows)
    {
        var sb = new StringBuilder()
            .AppendLine("| activation | test acc (mean ± std) | final train loss | s/epoch | dead units | status |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine(string.Join(" | ", new[]
            {
                "| " + r.Activation.Replace("|", "\\|"),
                double.IsNaN(r.AccuracyMean) ? "-" : (100 * r.AccuracyMean).ToString("0.00", Inv) + " ± " + (100 * r.AccuracyStd).ToString("0.00", Inv),
                Loss(r.TrainLossMean), r.SecondsPerEpoch.ToString("0.00", Inv),
                r.DeadFractionMean is double d ? (100 * d).ToString("0.0", Inv) + " %" : "-", r.Status + " |",
            }));
        return sb.ToString();
    }

    public static byte[] Json(IReadOnlyDictionary<string, string> settings, IReadOnlyList<ActivationSummary> rows, IReadOnlyList<RunRecord> runs)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("settings");
            foreach (var (k, v) in settings) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteString("dead_unit_definition", DeadUnitDefinition);
            w.WriteStartArray("activations");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("activation", r.Activation);
                w.WriteString("family", r.Family);
                w.WriteNumber("seeds", r.Seeds);
                w.WriteNumber("diverged", r.Diverged);
                w.WriteString("status", r.Status);
                Number(w, "test_acc_mean", r.AccuracyMean);
                Number(w, "test_acc_std", r.AccuracyStd);
                Number(w, "final_train_loss_mean", r.TrainLossMean);
                Number(w, "final_test_loss_mean", r.TestLossMean);
                Number(w, "sec_per_epoch", r.SecondsPerEpoch);
                Number(w, "dead_unit_fraction", r.DeadFractionMean ?? double.NaN);
                w.WriteNumber("parameters", r.Parameters);
                w.WriteStartArray("test_acc_curve");
                foreach (var v in r.AccuracyCurve) Value(w, v);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("runs");
            foreach (var run in runs)
            {
                w.WriteStartObject();
                w.WriteString("activation", run.Activation);
                w.WriteNumber("seed", run.Seed);
                w.WriteBoolean("diverged", run.Diverged);
                Number(w, "dead_unit_fraction", run.DeadFraction ?? double.NaN);
                w.WriteStartArray("epochs");
                foreach (var e in run.History) Epoch(w, e);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>
    /// Reads back the settings and runs of a compare.json, so the table, CSV, Markdown and plot can be rebuilt without
    /// training again (`compare --from-json`). Values written as null (not finite) come back as NaN.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a compare.json (a missing or mistyped field is named).</exception>
    public static (Dictionary<string, string> Settings, List<RunRecord> Runs) ReadJson(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var settings = root.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            var meta = root.GetProperty("activations").EnumerateArray().ToDictionary(
                a => a.GetProperty("activation").GetString()!, a => (Family: a.GetProperty("family").GetString()!, Parameters: a.GetProperty("parameters").GetInt64()));
            double Num(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN;
            var runs = root.GetProperty("runs").EnumerateArray().Select(r =>
            {
                string act = r.GetProperty("activation").GetString()!;
                var history = r.GetProperty("epochs").EnumerateArray().Select(e => new EpochResult(e.GetProperty("epoch").GetInt32(),
                    Num(e, "train_loss"), Num(e, "train_acc"), Num(e, "test_loss"), Num(e, "test_acc"), Num(e, "seconds"))).ToList();
                double dead = Num(r, "dead_unit_fraction");
                return new RunRecord(act, meta[act].Family, r.GetProperty("seed").GetUInt64(), history, double.IsNaN(dead) ? null : dead, meta[act].Parameters);
            }).ToList();
            return (settings, runs);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a compare.json written by `nonlinear compare` ({e.Message})");
        }
    }

    /// <summary>Writes compare.csv, compare.md, compare.json and curves.png into <paramref name="dir"/>.</summary>
    public static void WriteAll(string dir, IReadOnlyDictionary<string, string> settings, IReadOnlyList<ActivationSummary> rows, IReadOnlyList<RunRecord> runs)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "compare.csv"), Csv(rows));
        AtomicFile.WriteAllText(Path.Combine(dir, "compare.md"), Markdown(rows));
        AtomicFile.WriteAllBytes(Path.Combine(dir, "compare.json"), Json(settings, rows, runs));
        Plotting.Charts.Curves(Path.Combine(dir, "curves.png"),
            rows.Select(r => (r.Activation + (r.Diverged > 0 ? $" ({r.Diverged}/{r.Seeds} diverged)" : ""), r.AccuracyCurve)),
            "test accuracy per epoch (mean over non-diverged seeds)", "test accuracy");
    }

    private static void Epoch(Utf8JsonWriter w, EpochResult e)
    {
        w.WriteStartObject();
        w.WriteNumber("epoch", e.Epoch);
        Number(w, "train_loss", e.TrainLoss);
        Number(w, "train_acc", e.TrainAccuracy);
        Number(w, "test_loss", e.TestLoss);
        Number(w, "test_acc", e.TestAccuracy);
        Number(w, "seconds", e.Seconds);
        w.WriteEndObject();
    }

    // JSON has no NaN or infinity: a value that is not finite is written as null.
    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        w.WritePropertyName(name);
        Value(w, v);
    }

    private static void Value(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteNullValue();
    }

    // Fixed decimals for ordinary losses; a run that blew up but stayed finite gets a short exponent form.
    private static string Loss(double v) => double.IsNaN(v) ? "-" : Math.Abs(v) < 1e4 ? v.ToString("0.0000", Inv) : v.ToString("0.###E+0", Inv);

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("R", Inv) : "";

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
