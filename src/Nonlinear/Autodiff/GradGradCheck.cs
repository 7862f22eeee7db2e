using System.Globalization;
using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>The worst entry of a <see cref="GradGradCheck"/>: ratio ≤ 1 passes.</summary>
/// <param name="WorstRatio">max over entries of |analytic − numeric| / (atol + rtol·|numeric|).</param>
/// <param name="Entries">Second-derivative entries compared.</param>
/// <param name="Worst">The worst entry: indices, analytic and numeric values.</param>
public sealed record GradGradReport(double WorstRatio, int Entries, string Worst)
{
    /// <summary>True when every entry is within tolerance.</summary>
    public bool Passed => WorstRatio <= 1;
}

/// <summary>
/// torch.autograd.gradgradcheck for float32 tensors: the Jacobian of the recorded gradient G(x) = ∇ₓ⟨u, f(x)⟩ (u a fixed
/// random output gradient), obtained by differentiating G again, against central differences of G in every input
/// element, (G(x + h·eᵢ) − G(x − h·eᵢ))/(2h), the differences formed in double.
/// </summary>
public static class GradGradCheck
{
    /// <summary>
    /// Compares every second-derivative entry. The inputs are copied into fresh leaves; f must be deterministic.
    /// Tolerances: f runs in float32, so the central difference carries a rounding error ≈ ε_f·|G|/h (ε_f = 6e-8) and a
    /// truncation error ≈ h²/6·|G‴|: with h = 1e-2 and values of order 1, both near 1e-5 — atol = rtol = 1e-3 has margin.
    /// </summary>
    /// <param name="f">The function; its output may have any shape.</param>
    /// <param name="inputs">The point x (values only; gradients are not touched).</param>
    /// <param name="step">h.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Tolerance relative to |numeric|.</param>
    /// <param name="seed">Seed of the output gradient u (uniform in [−1, 1]).</param>
    public static GradGradReport Run(Func<Tensor[], Tensor> f, Tensor[] inputs, double step = 1e-2, double atol = 1e-3, double rtol = 1e-3, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        var values = inputs.Select(t => t.ToArray()).ToArray();
        var shapes = inputs.Select(t => t.Shape.ToArray()).ToArray();
        Tensor[] Leaves(float[][] v) => v.Select((a, i) => Tensor.FromArray((float[])a.Clone(), shapes[i]).RequireGrad()).ToArray();

        var probe = f(Leaves(values));
        var rng = new Rng(seed);
        var u = new float[probe.Length];
        for (int i = 0; i < u.Length; i++) u[i] = (float)(2 * rng.NextDouble() - 1);
        var uShape = probe.Shape.ToArray();
        double[] FirstGradient(float[][] v, bool createGraph, out Tensor[] leaves, out Tensor[] grads)
        {
            leaves = Leaves(v);
            var y = f(leaves);
            grads = Autograd.Grad([y], leaves, [Tensor.FromArray((float[])u.Clone(), uShape)], createGraph: createGraph, allowUnused: true);
            return grads.SelectMany(g => g.ToArray()).Select(x => (double)x).ToArray();
        }

        FirstGradient(values, createGraph: true, out var x0, out var g0);
        int total = values.Sum(v => v.Length);
        // analytic[k, i]: ∂G_k/∂x_i, row k by one more reverse pass through the recorded gradient.
        var analytic = new double[total, total];
        int k = 0;
        for (int a = 0; a < g0.Length; a++)
        {
            var flat = Ops.Reshape(g0[a], -1);
            for (int e = 0; e < values[a].Length; e++, k++)
            {
                if (!g0[a].RequiresGrad) continue;   // a gradient constant in x: its row is zero
                var row = Autograd.Grad([Ops.Select(flat, 0, e)], x0, retainGraph: true, allowUnused: true);
                int i = 0;
                foreach (var r in row) foreach (float v in r.ToArray()) analytic[k, i++] = v;
            }
        }

        double worst = 0;
        string where = "";
        int col = 0;
        for (int b = 0; b < values.Length; b++)
            for (int e = 0; e < values[b].Length; e++, col++)
            {
                var plus = values.Select(v => (float[])v.Clone()).ToArray();
                var minus = values.Select(v => (float[])v.Clone()).ToArray();
                float xe = values[b][e];
                plus[b][e] = (float)(xe + step);
                minus[b][e] = (float)(xe - step);
                double h2 = (double)plus[b][e] - minus[b][e];   // the step actually taken in float
                var gp = FirstGradient(plus, false, out _, out _);
                var gm = FirstGradient(minus, false, out _, out _);
                for (int r = 0; r < total; r++)
                {
                    double numeric = (gp[r] - gm[r]) / h2, an = analytic[r, col];
                    double ratio = Math.Abs(an - numeric) / (atol + rtol * Math.Abs(numeric));
                    if (!(ratio <= worst))
                    {
                        worst = double.IsNaN(ratio) ? double.PositiveInfinity : ratio;
                        where = string.Create(CultureInfo.InvariantCulture, $"∂G[{r}]/∂x[{col}]: analytic {an:G9}, numeric {numeric:G9}");
                    }
                }
            }
        return new GradGradReport(worst, total * total, where);
    }
}
