using System.Diagnostics;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Formula activations against the fused catalog kernel they spell out, on 16M floats: `formula-throughput [threads] [rounds]`.
/// The two run in alternating rounds (formula, catalog, formula, …) so a change in the machine's load hits both alike;
/// each line gives the median Gelem/s of each and the median of the per-round ratios catalog/formula time.
/// </summary>
public static class FormulaBench
{
    /// <summary>Each formula and the catalog entry it equals.</summary>
    public static readonly (string Formula, string Catalog)[] Pairs =
    [
        ("x*sigmoid(x)", "silu"), ("x*tanh(softplus(x))", "mish"), ("max(x,0)", "relu"), ("x*(1+erf(x/sqrt(2)))/2", "gelu"),
    ];

    /// <summary>Prints one line per pair, forward and forward + backward.</summary>
    public static void Throughput(int threads, int rounds = 9)
    {
        Parallelism.MaxThreads = threads;
        var (x, y, dy, dx) = ActivationBench.Buffers();
        int n = x.Length;
        Console.WriteLine($"formula-throughput: {n} floats, {threads} thread(s), SIMD {Simd.Best}, {rounds} alternating rounds; Gelem/s medians, ratio = formula time / catalog time (median of rounds)");
        Console.WriteLine($"{"formula",-26} {"catalog",-8} {"fwd f",7} {"fwd c",7} {"ratio",6}   {"f+b f",7} {"f+b c",7} {"ratio",6}");
        foreach (var (formula, catalog) in Pairs)
        {
            var f = ActivationCatalog.Parse(formula);
            var c = ActivationCatalog.Parse(catalog);
            var fwd = Alternate(() => f.Forward(x, y), () => c.Forward(x, y), rounds);
            var both = Alternate(() => ActivationBench.Step(f, x, y, dy, dx), () => ActivationBench.Step(c, x, y, dy, dx), rounds);
            Console.WriteLine($"{formula,-26} {catalog,-8} {n / fwd.A / 1e9,7:F2} {n / fwd.B / 1e9,7:F2} {fwd.Ratio,5:F2}x   {n / both.A / 1e9,7:F2} {n / both.B / 1e9,7:F2} {both.Ratio,5:F2}x");
        }
    }

    private static (double A, double B, double Ratio) Alternate(Action a, Action b, int rounds)
    {
        // Warm-up long enough for tiered compilation to replace the loops with optimised code.
        long w0 = Stopwatch.GetTimestamp();
        do { a(); b(); } while (Stopwatch.GetElapsedTime(w0).TotalSeconds < 2);
        var ta = new double[rounds];
        var tb = new double[rounds];
        var ratio = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            ta[i] = Time(a);
            tb[i] = Time(b);
            ratio[i] = ta[i] / tb[i];
        }
        return (Median(ta), Median(tb), Median(ratio));
    }

    private static double Time(Action run)
    {
        long t0 = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static double Median(double[] v)
    {
        var s = (double[])v.Clone();
        Array.Sort(s);
        return s[s.Length / 2];
    }
}
