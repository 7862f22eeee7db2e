using System.Text;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>One op under test: our float op and its double reference on the same inputs.</summary>
public sealed class GradCase
{
    /// <summary>Shapes of the differentiated inputs.</summary>
    public required int[][] Shapes { get; init; }
    /// <summary>Our op (float, autodiff).</summary>
    public required Func<Tensor[], Tensor> Op { get; init; }
    /// <summary>The independent double-precision reference of the same function.</summary>
    public required Func<RefTensor[], RefTensor> Reference { get; init; }
    /// <summary>k in the forward bound |y − r| ≤ k·u·m, u = 2⁻²⁴ (float's unit roundoff); 0 demands exact equality.</summary>
    public required double ForwardUlps { get; init; }
    /// <summary>m in the forward bound, per output element; default |r|. Sums and products pass the reference on |inputs| (the condition magnitude).</summary>
    public Func<RefTensor[], RefTensor, RefTensor>? Magnitude { get; init; }
    /// <summary>Input distribution; default uniform in [−2, 2).</summary>
    public Func<Rng, float> Sample { get; init; } = rng => 4f * rng.NextFloat() - 2f;
    /// <summary>Seed of inputs and weights.</summary>
    public ulong Seed { get; init; } = 12345;
    /// <summary>Relative gradient bound; see <see cref="GradCheck.DefaultGradRel"/>.</summary>
    public double GradRel { get; init; } = GradCheck.DefaultGradRel;
    /// <summary>Most coordinates per input checked by finite differences (evenly spread, first and last included).</summary>
    public int MaxCoordinates { get; init; } = 64;
}

/// <summary>
/// Checks forward values against the double reference and the analytic gradient of L = Σ w⊙y (fixed random
/// w) from Backward() against central finite differences of the reference L in double.
/// </summary>
/// <remarks>
/// Gradient bound: |g − g_fd| ≤ 1e-5·(|g_fd| + max|g_fd|). The finite difference (h = 1e-6·max(1,|x|), double)
/// is accurate to ~1e-9 relative (truncation h²·f‴/6 ≈ 1e-13, round-off 2⁻⁵³·|L|/h ≈ 1e-10·|L|). Our float gradient
/// of the sizes used here (≤ 64 accumulated terms) is within ~64·u ≈ 4e-6 of max|g|. A wrong rule (missing term,
/// wrong index or factor, a broadcast not summed) is off by O(|g|), 10⁵ times the bound.
/// </remarks>
public static class GradCheck
{
    public const double U = 1.0 / (1 << 24);
    public const double DefaultGradRel = 1e-5;

    public static void Run(GradCase c)
    {
        var rng = new Rng(c.Seed);
        var xs = c.Shapes.Select(s =>
        {
            var t = Tensor.Zeros(s);
            var span = t.AsSpan();
            for (int i = 0; i < span.Length; i++) span[i] = c.Sample(rng);
            return t.RequireGrad();
        }).ToArray();
        var refIn = xs.Select(RefTensor.From).ToArray();

        var y = c.Op(xs);
        var r = c.Reference(refIn);
        Assert.True(y.Shape.SequenceEqual(r.S), $"shape {Shapes.Format(y.Shape)} vs reference {Shapes.Format(r.S)}");
        var m = c.Magnitude?.Invoke(refIn.Select(t => t.Abs()).ToArray(), r) ?? r.Abs();
        var yv = y.ToArray();
        var failures = new StringBuilder();
        for (int i = 0; i < yv.Length; i++)
        {
            double err = Math.Abs(yv[i] - r.D[i]), bound = c.ForwardUlps * U * m.D[i];
            bool bothNaN = double.IsNaN(yv[i]) && double.IsNaN(r.D[i]);
            if (!bothNaN && !(err <= bound) && !(yv[i] == r.D[i]))
                failures.AppendLine($"forward[{i}]: ours {yv[i]:R}, reference {r.D[i]:R}, |err| {err:E3} > bound {bound:E3}");
        }
        Report(failures);

        var w = new float[yv.Length];
        for (int i = 0; i < w.Length; i++) w[i] = 2f * rng.NextFloat() - 1f;
        if (y.RequiresGrad) y.Backward(Tensor.FromArray(w, y.Shape.ToArray()));
        double Loss()
        {
            var rr = c.Reference(refIn);
            double s = 0;
            for (int i = 0; i < w.Length; i++) s += w[i] * rr.D[i];
            return s;
        }
        for (int k = 0; k < xs.Length; k++)
        {
            var ri = refIn[k];
            if (ri.Length == 0) continue;
            var grad = xs[k].Grad?.ToArray();
            Assert.True(grad is not null, $"input {k} received no gradient");
            var coords = Coordinates(ri.Length, c.MaxCoordinates);
            var fd = new double[coords.Length];
            for (int q = 0; q < coords.Length; q++)
            {
                int j = coords[q];
                double x0 = ri.D[j], h = 1e-6 * Math.Max(1, Math.Abs(x0));
                ri.D[j] = x0 + h; double lp = Loss();
                ri.D[j] = x0 - h; double lm = Loss();
                ri.D[j] = x0;
                fd[q] = (lp - lm) / (2 * h);
            }
            double scale = fd.Max(Math.Abs);
            for (int q = 0; q < coords.Length; q++)
            {
                int j = coords[q];
                double err = Math.Abs(grad[j] - fd[q]), tol = c.GradRel * (Math.Abs(fd[q]) + scale);
                if (!(err <= tol))
                    failures.AppendLine($"grad input {k} [{j}]: ours {grad[j]:R}, finite difference {fd[q]:R}, |err| {err:E3} > tol {tol:E3}");
            }
        }
        Report(failures);
    }

    private static int[] Coordinates(int n, int max)
    {
        if (n <= max) return Enumerable.Range(0, n).ToArray();
        return Enumerable.Range(0, max).Select(i => (int)((long)i * (n - 1) / (max - 1))).Distinct().ToArray();
    }

    private static void Report(StringBuilder failures)
    {
        if (failures.Length == 0) return;
        var lines = failures.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Fail($"{lines.Length} mismatches:\n" + string.Join("\n", lines.Take(12)));
    }

    /// <summary>Uniform in [lo, hi) with random sign: keeps samples away from 0 (kinks, poles).</summary>
    public static Func<Rng, float> AwayFromZero(float lo, float hi) =>
        rng => (rng.NextFloat() < 0.5f ? -1f : 1f) * (lo + (hi - lo) * rng.NextFloat());

    /// <summary>Uniform in [lo, hi).</summary>
    public static Func<Rng, float> Uniform(float lo, float hi) => rng => lo + (hi - lo) * rng.NextFloat();
}
