using Nonlinear.IO;
using ScottPlot;

namespace Nonlinear.Cli.Plotting;

/// <summary>
/// First-layer weights drawn as images: one square tile per hidden unit, each scaled by its own largest |w| to
/// [−1, 1] on a diverging map (blue negative, white 0, red positive), as Krotov &amp; Hopfield show their learned
/// synapses. Written atomically.
/// </summary>
internal static class FilterGrid
{
    /// <summary>The most tiles drawn (a 10×10 grid).</summary>
    public const int MaxTiles = 100;

    /// <summary>
    /// Draws the first min(units, <see cref="MaxTiles"/>) rows of <paramref name="weights"/> [units, inputs] (row-major)
    /// as side×side tiles, side = √inputs.
    /// </summary>
    /// <exception cref="InvalidInputException">The inputs are not a square image.</exception>
    public static void Write(string path, ReadOnlySpan<float> weights, int units, int inputs, string title)
    {
        int side = (int)Math.Round(Math.Sqrt(inputs));
        if (side * side != inputs)
            throw new InvalidInputException($"--filters draws first-layer weights as square images; the data has {inputs} features, not a square image.");
        int tiles = Math.Min(units, MaxTiles);
        int cols = (int)Math.Ceiling(Math.Sqrt(tiles)), rows = (tiles + cols - 1) / cols;
        // One-pixel NaN gutters between tiles, drawn in the background colour.
        var grid = new double[rows * (side + 1), cols * (side + 1)];
        for (int i = 0; i < grid.GetLength(0); i++) for (int j = 0; j < grid.GetLength(1); j++) grid[i, j] = double.NaN;
        for (int u = 0; u < tiles; u++)
        {
            var w = weights.Slice(u * inputs, inputs);
            float max = 0;
            foreach (float v in w) max = Math.Max(max, Math.Abs(v));
            int r0 = u / cols * (side + 1), c0 = u % cols * (side + 1);
            for (int i = 0; i < side; i++)
                for (int j = 0; j < side; j++) grid[r0 + i, c0 + j] = max > 0 ? w[i * side + j] / max : 0;
        }
        var plot = new Plot();
        var hm = plot.Add.Heatmap(grid);
        hm.Colormap = new ScottPlot.Colormaps.Balance();
        hm.ManualRange = new ScottPlot.Range(-1, 1);
        hm.NaNCellColor = Colors.White;
        plot.Title(title);
        plot.Axes.Frameless();
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(800, 840, ImageFormat.Png));
    }
}
