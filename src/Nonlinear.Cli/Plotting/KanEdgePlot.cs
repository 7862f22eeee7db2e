using Nonlinear.IO;
using Nonlinear.Kan.Interpret;
using ScottPlot;
using SkiaSharp;

namespace Nonlinear.Cli.Plotting;

/// <summary>
/// pykan-style figure of a KAN: one small panel per edge, a row of panels per layer (output layer at the top as
/// pykan draws it), each titled "layer l: in i → out o" plus the symbolic formula when the edge is fixed. Pruned
/// edges are drawn grey and flat. Written atomically.
/// </summary>
internal static class KanEdgePlot
{
    private const int Cell = 220;

    public static void Write(string path, IReadOnlyList<KanEdgeCurve> curves)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"--plot '{path}': expected a file name ending in .png.");
        if (curves.Count == 0) throw new InvalidInputException("--plot: the network has no edges to draw.");
        int layers = curves.Max(c => c.Layer) + 1;
        int cols = Enumerable.Range(0, layers).Max(l => curves.Count(c => c.Layer == l));
        // Each panel is rendered on its own and blitted into one canvas (simpler and version-proof compared with
        // ScottPlot's multiplot layouts).
        using var canvasBitmap = new SKBitmap(cols * Cell, layers * Cell);
        using var canvas = new SKCanvas(canvasBitmap);
        canvas.Clear(SKColors.White);
        int rowIndex = 0;
        // Rows: last layer first, so the figure reads bottom (inputs) to top (output) like pykan's.
        for (int l = layers - 1; l >= 0; l--)
        {
            var row = curves.Where(c => c.Layer == l).ToList();
            for (int k = 0; k < cols; k++)
            {
                var plot = new Plot();
                if (k < row.Count)
                {
                    var c = row[k];
                    var line = plot.Add.ScatterLine(c.X, c.Y, c.Active ? (c.Symbolic is null ? Colors.Black : Colors.Red) : Colors.LightGray);
                    line.LineWidth = 2;
                    string title = $"L{c.Layer}: {c.Input}→{c.Output}" + (c.Symbolic is null ? "" : "  " + Shorten(c.Symbolic, 28));
                    plot.Title(title, size: 11);
                }
                else plot.Axes.Frameless();
                using var panel = SKBitmap.Decode(plot.GetImageBytes(Cell, Cell, ImageFormat.Png));
                canvas.DrawBitmap(panel, k * Cell, rowIndex * Cell);
            }
            rowIndex++;
        }
        canvas.Flush();
        using var image = SKImage.FromBitmap(canvasBitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, data.ToArray());
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
