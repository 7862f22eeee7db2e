using Nonlinear.IO;
using ScottPlot;

namespace Nonlinear.Cli.Plotting;

/// <summary>A scalar field on a grid as a heatmap PNG with a colour bar (PINN solutions and their errors).</summary>
internal static class FieldPlot
{
    /// <summary>
    /// Writes <paramref name="values"/>[i, j] (first coordinate i, second j, both from the lower corner) over the box
    /// [a0, a1]×[b0, b1] to <paramref name="path"/>, atomically.
    /// </summary>
    public static void Write(string path, double[,] values, (double A0, double A1, double B0, double B1) box, string title, string first, string second)
    {
        int na = values.GetLength(0), nb = values.GetLength(1);
        // ScottPlot draws row 0 at the top: rows run down the second coordinate from its upper end.
        var rows = new double[nb, na];
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++) rows[nb - 1 - j, i] = values[i, j];
        var plot = new Plot();
        var hm = plot.Add.Heatmap(rows);
        hm.Rectangle = new CoordinateRect(box.A0, box.A1, box.B0, box.B1);
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(hm);
        plot.Title(title);
        plot.XLabel(first);
        plot.YLabel(second);
        byte[] png = plot.GetImageBytes(720, 600, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
