using Nonlinear.Interpret.Statistics;
using Nonlinear.IO;
using ScottPlot;

namespace Nonlinear.Cli.Commands;

/// <summary>The PNGs of `inspect`: one histogram per layer and the sparsity and dead fraction per layer; written atomically.</summary>
internal static class InspectCharts
{
    /// <summary>A bar per bin of <paramref name="h"/>, the y axis logarithmic when counts span more than 100×.</summary>
    public static void Histogram(string path, string layer, Histogram h)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < h.Counts.Count; i++)
            bars.Add(new Bar { Position = 0.5 * (h.Edges[i] + h.Edges[i + 1]), Value = h.Counts[i], Size = h.Edges[i + 1] - h.Edges[i], LineWidth = 0 });
        plot.Add.Bars(bars);
        plot.Title($"activations of {layer} ({h.Counts.Sum()} values)");
        plot.XLabel("activation");
        plot.YLabel("count");
        Save(plot, path);
    }

    /// <summary>Grouped bars per layer: fraction of values exactly zero, fraction of units dead.</summary>
    public static void Sparsity(string path, IReadOnlyList<(string Layer, double Zero, double Dead)> rows)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Count; i++)
        {
            bars.Add(new Bar { Position = 3 * i, Value = rows[i].Zero, FillColor = palette.GetColor(0) });
            bars.Add(new Bar { Position = 3 * i + 1, Value = rows[i].Dead, FillColor = palette.GetColor(1) });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(rows.Select((_, i) => 3.0 * i + 0.5).ToArray(), rows.Select(r => r.Layer).ToArray());
        plot.Axes.SetLimitsY(0, 1);
        plot.Title("sparsity per layer: fraction of values = 0 (blue), fraction of units dead (orange)");
        plot.YLabel("fraction");
        Save(plot, path);
    }

    private static void Save(Plot plot, string path) => AtomicFile.WriteAllBytes(path, plot.GetImageBytes(960, 600, ImageFormat.Png));
}
