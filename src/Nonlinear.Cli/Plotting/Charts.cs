using Nonlinear.Activations;
using Nonlinear.IO;
using ScottPlot;

namespace Nonlinear.Cli.Plotting;

/// <summary>
/// The CLI's PNG figures, drawn with ScottPlot. Every file is written atomically (bytes rendered in memory, then
/// temporary file + rename), so a reader never sees half a PNG.
/// </summary>
internal static class Charts
{
    private const int Width = 960, Height = 600;

    /// <summary>f (solid) and f′ (dashed, same colour) of each activation on [lo, hi], evaluated by the library's float kernels.</summary>
    public static void Activations(string path, IReadOnlyList<Activation> activations, double lo, double hi, int points = 801)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var xs = new float[points];
        for (int i = 0; i < points; i++) xs[i] = (float)(lo + (hi - lo) * i / (points - 1));
        var y = new float[points];
        var ones = Enumerable.Repeat(1f, points).ToArray();
        var dy = new float[points];
        var xd = xs.Select(v => (double)v).ToArray();
        for (int k = 0; k < activations.Count; k++)
        {
            var act = activations[k];
            act.Forward(xs, y);
            act.Backward(xs, y, ones, dy);
            var color = palette.GetColor(k);
            var f = plot.Add.ScatterLine(xd, y.Select(v => (double)v).ToArray(), color);
            f.LegendText = act.ToString();
            f.LineWidth = 2;
            var d = plot.Add.ScatterLine(xd, dy.Select(v => (double)v).ToArray(), color);
            d.LegendText = act.ToString() + "′";
            d.LinePattern = LinePattern.Dashed;
            d.LineWidth = 1.5f;
        }
        plot.Add.HorizontalLine(0, 1, Colors.Gray.WithAlpha(0.5));
        plot.Add.VerticalLine(0, 1, Colors.Gray.WithAlpha(0.5));
        plot.Title("f (solid) and f′ (dashed)");
        plot.XLabel("x");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path);
    }

    /// <summary>One line per series of per-epoch values (epoch 1, 2, …), e.g. mean test accuracy over seeds.</summary>
    public static void Curves(string path, IEnumerable<(string Label, double[] Values)> series, string title, string yLabel)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        int k = 0;
        foreach (var (label, values) in series)
        {
            var color = palette.GetColor(k);
            // Past the palette's 20 colours the colours repeat; the repeats are dashed so lines stay tellable apart.
            var pattern = (k / 20) % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
            k++;
            if (values.Length == 0) continue;
            var xs = Enumerable.Range(1, values.Length).Select(e => (double)e).ToArray();
            var line = plot.Add.Scatter(xs, values, color);
            line.LegendText = label;
            line.LinePattern = pattern;
            line.LineWidth = 2;
            line.MarkerSize = 4;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path);
    }

    private static void Save(Plot plot, string path)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out '{path}': expected a file name ending in .png.");
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
