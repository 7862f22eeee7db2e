namespace Nonlinear.Kan.Symbolic;

/// <summary>Search settings of <see cref="EdgeSymbolicFitter"/>.</summary>
/// <param name="Range">a and b are searched in [−Range, Range] after x is mapped onto [−1, 1] (pykan: a_range = b_range = (−10, 10)).</param>
/// <param name="GridPoints">Grid points per axis in each round (pykan: 101).</param>
/// <param name="ZoomRounds">Rounds; each zooms to ±2 grid steps around the best (a, b) (pykan: iteration = 3).</param>
/// <param name="MaxSearchPoints">The grid search uses at most this many samples (evenly spaced in x-order); the refinement uses all.</param>
/// <param name="RefineIterations">Levenberg–Marquardt iterations on (a, b, c, d) after the search.</param>
/// <param name="WeightSimple">w of the score: weight of complexity against fit quality (pykan: weight_simple = 0.8).</param>
public sealed record SymbolicFitOptions(double Range = 10, int GridPoints = 31, int ZoomRounds = 3, int MaxSearchPoints = 64,
    int RefineIterations = 30, double WeightSimple = 0.8);

/// <summary>
/// Fits y ≈ c·f(a·x + b) + d for library functions f (pykan's fit_params / suggest_symbolic): a grid search over
/// (a, b) scoring each pair by the R² of the best linear (c, d) — solved in closed form in double — with zooming,
/// then Levenberg–Marquardt refinement of all four. Candidates whose f(a·x + b) leaves f's domain (NaN, ±∞) anywhere on
/// the data, or is constant, are skipped; nothing here throws on bad data or returns NaN: a function that cannot be
/// fitted at all is simply absent from <see cref="Suggest"/>. Liu et al. 2024, KAN, https://arxiv.org/abs/2404.19756.
/// </summary>
public static class EdgeSymbolicFitter
{
    /// <summary>Ranking score, lower is better: w·complexity + (1−w)·log₂(1 + 1e-5 − R²) (pykan's suggest_symbolic).</summary>
    public static double Score(double r2, int complexity, double weightSimple)
        => weightSimple * complexity + (1 - weightSimple) * Math.Log2(1 + 1e-5 - Math.Min(r2, 1));

    /// <summary>All functions of <paramref name="library"/> (default: <see cref="SymbolicLibrary.All"/>) that could be fitted, best score first.</summary>
    /// <exception cref="ArgumentException">x and y differ in length or are empty, or contain non-finite values.</exception>
    public static IReadOnlyList<SymbolicFit> Suggest(ReadOnlySpan<double> x, ReadOnlySpan<double> y, SymbolicFitOptions? options = null, IEnumerable<SymbolicFunction>? library = null)
    {
        var (xs, ys) = Check(x, y);
        options ??= new SymbolicFitOptions();
        var fits = new List<SymbolicFit>();
        foreach (var f in library ?? SymbolicLibrary.All)
            if (FitCore(xs, ys, f, options) is { } fit) fits.Add(fit);
        return fits.OrderBy(s => s.Score).ThenBy(s => s.Function.Complexity).ToList();
    }

    /// <summary>Fits one function; null when no admissible (a, b) exists on this data.</summary>
    /// <exception cref="ArgumentException">x and y differ in length or are empty, or contain non-finite values.</exception>
    public static SymbolicFit? Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, SymbolicFunction function, SymbolicFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var (xs, ys) = Check(x, y);
        return FitCore(xs, ys, function, options ?? new SymbolicFitOptions());
    }

    private static (double[], double[]) Check(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.Length == 0)
            throw new ArgumentException($"x and y must be non-empty and of equal length; got {x.Length} and {y.Length}.", nameof(x));
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"sample {i} is not finite: x = {x[i]}, y = {y[i]}.", nameof(x));
        return (x.ToArray(), y.ToArray());
    }

    private static SymbolicFit? FitCore(double[] x, double[] y, SymbolicFunction f, SymbolicFitOptions o)
    {
        double yMean = y.Average();
        double ssTot = y.Sum(v => (v - yMean) * (v - yMean));
        // Constant data (up to rounding): every f explains it by c = 0, d = mean; only "0" is kept, with R² = 1.
        if (ssTot <= 1e-24 * y.Length * (1 + yMean * yMean))
            return f.IsZero ? new SymbolicFit(f, 1, 0, 0, yMean, 1, Score(1, f.Complexity, o.WeightSimple)) : null;
        if (f.IsZero) return new SymbolicFit(f, 1, 0, 0, yMean, 0, Score(0, f.Complexity, o.WeightSimple));

        double a, b;
        if (f.IsIdentity) { a = 1; b = 0; }
        else if (!GridSearch(x, y, f, o, out a, out b)) return null;
        if (!LinearCD(x, y, f, a, b, out double c, out double d, out double sse)) return null;
        if (!f.IsIdentity) LevenbergMarquardt.Refine(x, y, f.Evaluate, ref a, ref b, ref c, ref d, ref sse, o.RefineIterations);
        double r2 = 1 - sse / ssTot;
        return new SymbolicFit(f, a, b, c, d, r2, Score(r2, f.Complexity, o.WeightSimple));
    }

    /// <summary>Best (a, b) by R² of the linear fit of y on f(a·x + b), on an x mapped to [−1, 1] and a subsample.</summary>
    private static bool GridSearch(double[] x, double[] y, SymbolicFunction f, SymbolicFitOptions o, out double a, out double b)
    {
        double lo = x.Min(), hi = x.Max();
        double mid = (lo + hi) / 2, half = Math.Max((hi - lo) / 2, 1e-12);
        int n = Math.Min(x.Length, o.MaxSearchPoints);
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
        var xs = new double[n];
        var ys = new double[n];
        for (int k = 0; k < n; k++)
        {
            int i = order[(int)((long)k * (x.Length - 1) / Math.Max(n - 1, 1))];
            xs[k] = (x[i] - mid) / half;
            ys[k] = y[i];
        }
        double sy = ys.Sum(), syy = ys.Sum(v => v * v);
        double aLo = -o.Range, aHi = o.Range, bLo = -o.Range, bHi = o.Range;
        double bestA = 0, bestB = 0, bestR2 = -1;
        int g = Math.Max(o.GridPoints, 3);
        for (int round = 0; round < o.ZoomRounds; round++)
        {
            double da = (aHi - aLo) / (g - 1), db = (bHi - bLo) / (g - 1);
            for (int i = 0; i < g; i++)
                for (int j = 0; j < g; j++)
                {
                    double ai = aLo + i * da, bj = bLo + j * db;
                    double r2 = R2Linear(xs, ys, sy, syy, f.Evaluate, ai, bj);
                    if (r2 > bestR2) { bestR2 = r2; bestA = ai; bestB = bj; }
                }
            if (bestR2 < 0) break;
            (aLo, aHi, bLo, bHi) = (bestA - 2 * da, bestA + 2 * da, bestB - 2 * db, bestB + 2 * db);
        }
        // Undo the map x' = (x − mid)/half: a'·x' + b' = (a'/half)·x + (b' − a'·mid/half).
        a = bestA / half;
        b = bestB - bestA * mid / half;
        return bestR2 >= 0;
    }

    /// <summary>R² of the least-squares line y ≈ c·u + d with u = f(a·x + b); −1 when u is not finite or is constant.</summary>
    private static double R2Linear(double[] x, double[] y, double sy, double syy, Func<double, double> f, double a, double b)
    {
        int n = x.Length;
        double su = 0, suu = 0, suy = 0;
        for (int k = 0; k < n; k++)
        {
            double u = f(a * x[k] + b);
            if (!double.IsFinite(u) || Math.Abs(u) > 1e150) return -1;
            su += u; suu += u * u; suy += u * y[k];
        }
        double varU = suu - su * su / n, varY = syy - sy * sy / n, cov = suy - su * sy / n;
        if (!(varU > 1e-12 * (suu + 1e-300)) || !(varY > 0)) return -1;
        double r2 = cov * cov / (varU * varY);
        return double.IsFinite(r2) ? r2 : -1;
    }

    /// <summary>c, d minimising Σ(c·u + d − y)² on all data, with the resulting SSE; false when u is unusable.</summary>
    internal static bool LinearCD(double[] x, double[] y, SymbolicFunction f, double a, double b, out double c, out double d, out double sse)
    {
        int n = x.Length;
        var u = new double[n];
        double su = 0, suu = 0, suy = 0, sy = 0;
        for (int k = 0; k < n; k++)
        {
            u[k] = f.Evaluate(a * x[k] + b);
            if (!double.IsFinite(u[k])) { c = d = sse = 0; return false; }
            su += u[k]; suu += u[k] * u[k]; suy += u[k] * y[k]; sy += y[k];
        }
        double varU = suu - su * su / n;
        c = varU > 1e-12 * (suu + 1e-300) ? (suy - su * sy / n) / varU : 0;
        d = (sy - c * su) / n;
        sse = 0;
        for (int k = 0; k < n; k++) { double r = c * u[k] + d - y[k]; sse += r * r; }
        return double.IsFinite(sse) && double.IsFinite(c) && double.IsFinite(d);
    }
}
