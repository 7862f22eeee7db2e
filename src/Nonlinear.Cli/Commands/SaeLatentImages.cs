using Nonlinear.Data;
using Nonlinear.Interpret.Sae;
using Nonlinear.IO;
using Nonlinear.Tensors;
using ScottPlot;

namespace Nonlinear.Cli.Commands;

/// <summary>`sae eval --latents`: one PNG per latent with its top-activating inputs as a grid of images (square inputs only).</summary>
internal static class SaeLatentImages
{
    public static int[] ParseLatents(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 256) throw new InvalidInputException($"--latents takes at most 256 entries; got {parts.Length}.");
        return [.. parts.Select(p => int.TryParse(p, out int v) && v >= 0 ? v : throw new InvalidInputException($"--latents must be a comma list of integers ≥ 0; got '{p}'."))];
    }

    public static void Write(SparseAutoencoder sae, Tensor acts, Dataset inputs, int[] latents, int top, string dir)
    {
        int side = (int)Math.Round(Math.Sqrt(inputs.FeatureCount));
        if (side * side != inputs.FeatureCount)
            throw new InvalidInputException($"--latents draws image inputs; {inputs.Name} has {inputs.FeatureCount} features, not a square image.");
        foreach (var l in latents)
            if (l >= sae.Config.DSae) throw new InvalidInputException($"--latents: {l} is not below d_sae = {sae.Config.DSae}.");
        Directory.CreateDirectory(dir);
        foreach (var latent in latents)
        {
            var best = SaeMetrics.TopActivating(sae, acts, latent, top);
            int cols = (int)Math.Ceiling(Math.Sqrt(Math.Max(best.Length, 1))), rows = Math.Max(1, (best.Length + cols - 1) / cols);
            // A grid of images with one-pixel NaN gutters (drawn transparent).
            var grid = new double[rows * (side + 1), cols * (side + 1)];
            for (int i = 0; i < grid.GetLength(0); i++) for (int j = 0; j < grid.GetLength(1); j++) grid[i, j] = double.NaN;
            for (int b = 0; b < best.Length; b++)
            {
                var img = inputs.Row(best[b].Index);
                int r0 = b / cols * (side + 1), c0 = b % cols * (side + 1);
                for (int i = 0; i < side; i++) for (int j = 0; j < side; j++) grid[r0 + i, c0 + j] = img[i * side + j];
            }
            var plot = new Plot();
            var hm = plot.Add.Heatmap(grid);
            hm.Colormap = new ScottPlot.Colormaps.Grayscale();
            plot.Title(best.Length == 0 ? $"latent {latent}: never active" : $"latent {latent}: top {best.Length} inputs (max {best[0].Value:0.000}, min {best[^1].Value:0.000})");
            plot.Axes.Frameless();
            string path = Path.Combine(dir, $"latent_{latent}.png");
            AtomicFile.WriteAllBytes(path, plot.GetImageBytes(600, 640, ImageFormat.Png));
            Console.WriteLine($"  wrote {path}");
        }
    }
}
