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

    /// <summary>
    /// One line per series of per-epoch values (epoch 1, 2, …), e.g. mean test accuracy over seeds, the legend outside the
    /// axes with each series' last value. The y axis spans the series whose last value is within <paramref name="focus"/> of
    /// the best one, so one collapsed run (e.g. stuck at chance) does not flatten the rest; it is clipped, its value is in
    /// the legend.
    /// </summary>
    public static void Curves(string path, IEnumerable<(string Label, double[] Values)> series, string title, string yLabel, double focus = 0.15)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        var list = series.ToList();
        var finite = list.Where(s => s.Values.Length > 0 && double.IsFinite(s.Values[^1])).ToList();
        double best = finite.Count == 0 ? 0 : finite.Max(s => s.Values[^1]);
        var shown = finite.Where(s => s.Values[^1] >= best - focus).SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        int k = 0, epochs = 1;
        foreach (var (label, values) in list)
        {
            var color = palette.GetColor(k);
            // Past the palette's 20 colours the colours repeat; the repeats are dashed so lines stay tellable apart.
            var pattern = (k / 20) % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
            k++;
            if (values.Length == 0) continue;
            epochs = Math.Max(epochs, values.Length);
            var xs = Enumerable.Range(1, values.Length).Select(e => (double)e).ToArray();
            var line = plot.Add.Scatter(xs, values, color);
            line.LegendText = double.IsFinite(values[^1]) ? $"{label}  {values[^1]:0.0000}" : label;
            line.LinePattern = pattern;
            line.LineWidth = 2;
            line.MarkerSize = 4;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(0.8, epochs + 0.2);
        if (shown.Count > 0)
        {
            double lo = shown.Min(), hi = shown.Max(), pad = Math.Max(1e-3, 0.05 * (hi - lo));
            plot.Axes.SetLimitsY(lo - pad, hi + pad);
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        Save(plot, path, width: 1280, height: 720);
    }

    private static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"--out '{path}': expected a file name ending in .png.");
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
