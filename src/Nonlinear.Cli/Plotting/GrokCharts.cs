using Nonlinear.IO;
using Nonlinear.Training;
using ScottPlot;

namespace Nonlinear.Cli.Plotting;

/// <summary>The two figures of `nonlinear grok`: learning curves over log-scale steps, and the embedding's Fourier spectrum.</summary>
internal static class GrokCharts
{
    /// <summary>Train and test loss (left) and accuracy (right) against log10(step) — memorisation, then the late jump.</summary>
    public static void Curves(string path, IReadOnlyList<GrokPoint> log)
    {
        var multi = new Multiplot();
        multi.AddPlots(2);
        multi.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var pts = log.Where(p => p.Step > 0).ToList();
        var xs = pts.Select(p => Math.Log10(p.Step)).ToArray();
        var loss = multi.GetPlot(0);
        Add(loss, xs, pts.Select(p => Math.Log10(Math.Max(p.TrainLoss, 1e-12))).ToArray(), "train", Colors.Blue);
        Add(loss, xs, pts.Select(p => Math.Log10(Math.Max(p.TestLoss, 1e-12))).ToArray(), "test", Colors.Red);
        loss.Title("cross-entropy");
        loss.XLabel("log10 step");
        loss.YLabel("log10 loss");
        loss.ShowLegend(Edge.Right);
        var acc = multi.GetPlot(1);
        Add(acc, xs, pts.Select(p => p.TrainAccuracy).ToArray(), "train", Colors.Blue);
        Add(acc, xs, pts.Select(p => p.TestAccuracy).ToArray(), "test", Colors.Red);
        acc.Title("accuracy");
        acc.XLabel("log10 step");
        acc.YLabel("accuracy");
        acc.ShowLegend(Edge.Right);
        Save(path, multi.Render(1400, 560));
    }

    /// <summary>Norm of each Fourier frequency's component of the token embedding.</summary>
    public static void Fourier(string path, double[] norms, int p)
    {
        var plot = new Plot();
        var bars = plot.Add.Bars(Enumerable.Range(1, norms.Length).Select(k => (double)k).ToArray(), norms);
        bars.Color = Colors.SteelBlue;
        plot.Title($"Fourier components of the embedding (p = {p})");
        plot.XLabel("frequency k");
        plot.YLabel("norm");
        Save(path, plot.GetImageBytes(1200, 500, ImageFormat.Png));
    }

    private static void Add(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = label;
        line.MarkerSize = 0;
        line.LineWidth = 2;
    }

    private static void Save(string path, Image image) => Save(path, image.GetImageBytes(ImageFormat.Png));

    private static void Save(string path, byte[] png)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"'{path}': expected a file name ending in .png.");
        AtomicFile.WriteAllBytes(path, png);
    }
}
