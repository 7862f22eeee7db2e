using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Reconstruction and sparsity of an SAE on an evaluation set.
/// </summary>
/// <param name="Samples">Evaluation samples.</param>
/// <param name="L0">Mean number of non-zero latents per sample.</param>
/// <param name="Mse">Mean over samples and dimensions of (x̂ − y)².</param>
/// <param name="Fvu">Fraction of variance unexplained: Σ‖x̂ − y‖² / Σ‖y − ȳ‖².</param>
/// <param name="Dead">Latents never active on the set.</param>
/// <param name="Dense">Latents active on more than <see cref="SaeMetrics.DenseAbove"/> of the samples.</param>
/// <param name="Density">Per latent: the fraction of samples on which it is active.</param>
public sealed record SaeEvaluation(int Samples, double L0, double Mse, double Fvu, int Dead, int Dense, double[] Density)
{
    /// <summary>Dead latents as a fraction of d_sae.</summary>
    public double DeadFraction => (double)Dead / Density.Length;

    /// <summary>
    /// The feature-density histogram: counts of live latents per bin of log10(density), bins of width 0.5 from
    /// −<paramref name="decades"/> to 0 (the first bin also takes anything rarer); dead latents are counted apart in <see cref="Dead"/>.
    /// </summary>
    public (double Low, double High, int Count)[] DensityHistogram(int decades = 6)
    {
        int bins = decades * 2;
        var counts = new int[bins];
        foreach (var d in Density)
        {
            if (d <= 0) continue;
            int b = (int)Math.Floor((Math.Log10(d) + decades) * 2);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }
        return [.. Enumerable.Range(0, bins).Select(b => (-decades + b * 0.5, -decades + (b + 1) * 0.5, counts[b]))];
    }
}

/// <summary>Computes <see cref="SaeEvaluation"/>.</summary>
public static class SaeMetrics
{
    /// <summary>A latent active on more than this fraction of samples counts as dense (10 %).</summary>
    public const double DenseAbove = 0.1;

    /// <summary>Evaluates on inputs x [n, d_in] against targets y (x itself for an SAE; the block output for a transcoder).</summary>
    public static SaeEvaluation Evaluate(SparseAutoencoder sae, Tensor x, Tensor? y = null)
    {
        ArgumentNullException.ThrowIfNull(sae);
        ArgumentNullException.ThrowIfNull(x);
        var cfg = sae.Config;
        y ??= x;
        int n = x.Size(0), o = cfg.DOut, m = cfg.DSae;
        if (y.Rank != 2 || y.Size(0) != n || y.Size(1) != o)
            throw new ArgumentException($"targets must be [{n}, {o}]; got {Shapes.Format(y.Shape)}.", nameof(y));
        var xs = x.Contiguous().AsReadOnlySpan();
        var ys = y.Contiguous().AsReadOnlySpan().ToArray();
        var mean = new double[o];
        for (int r = 0; r < n; r++) for (int j = 0; j < o; j++) mean[j] += ys[r * o + j];
        for (int j = 0; j < o; j++) mean[j] /= n;
        var step = sae.NewStep();
        var count = new long[m];
        double err = 0, variance = 0;
        long active = 0;
        const int chunk = 4096;
        for (int r0 = 0; r0 < n; r0 += chunk)
        {
            int rows = Math.Min(chunk, n - r0);
            step.SetBatch(xs.Slice(r0 * cfg.DIn, rows * cfg.DIn), ys.AsSpan(r0 * o, rows * o), rows);
            cfg.Architecture.Encode(step);
            step.Decode(step.Codes, bias: true, step.XHat);
            var c = step.Codes;
            if (c.IsSparse) { for (int e = 0; e < c.NonZeros; e++) if (c.Val[e] != 0) { count[c.Col[e]]++; active++; } }
            else for (int e = 0; e < rows * m; e++) if (c.Dense[e] != 0) { count[e % m]++; active++; }
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < o; j++)
                {
                    double yv = ys[(r0 + r) * o + j], diff = step.XHat[r * o + j] - yv, dev = yv - mean[j];
                    err += diff * diff;
                    variance += dev * dev;
                }
        }
        var density = count.Select(c => (double)c / n).ToArray();
        return new SaeEvaluation(n, (double)active / n, err / ((double)n * o), variance > 0 ? err / variance : double.NaN,
            density.Count(d => d == 0), density.Count(d => d > DenseAbove), density);
    }

    /// <summary>The <paramref name="top"/> samples with the largest activation of latent <paramref name="latent"/>, largest first (index, value); only samples where it is active.</summary>
    public static (int Index, float Value)[] TopActivating(SparseAutoencoder sae, Tensor x, int latent, int top)
    {
        ArgumentNullException.ThrowIfNull(sae);
        if (latent < 0 || latent >= sae.Config.DSae) throw new InvalidInputException($"latent must be in [0, {sae.Config.DSae}); got {latent}.");
        var codes = sae.Encode(x).AsReadOnlySpan();
        int n = x.Size(0), m = sae.Config.DSae;
        var list = new List<(int, float)>();
        for (int r = 0; r < n; r++) if (codes[r * m + latent] > 0) list.Add((r, codes[r * m + latent]));
        return [.. list.OrderByDescending(p => p.Item2).ThenBy(p => p.Item1).Take(top)];
    }
}
