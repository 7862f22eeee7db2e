using System.Text.Json;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;
using Nonlinear.Tests.Optim;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>
/// The modules: PReLU against torch 1.13, every fused unit against its composition from primitive ops (value and
/// every gradient), finite differences through the float modules, and per-channel layouts.
/// </summary>
public class LearnableModuleTests
{
    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "prelu_torch.json"))).RootElement.GetProperty(name);

    /// <summary>
    /// y and dx are single roundings of the same products as torch's, so they must match bit for bit; the slope
    /// gradient is a float sum whose order differs from torch's: within 4 ulp of its magnitude.
    /// </summary>
    [Theory]
    [InlineData("shared")]
    [InlineData("per_channel")]
    public void PReluMatchesTorch(string name)
    {
        var c = Fixture(name);
        var w = c.GetProperty("w").Floats();
        var prelu = new PRelu(w.Length);
        if (name == "shared") Assert.Equal(0.25f, prelu.Weight.AsSpan()[0]); // torch's default init
        w.CopyTo(prelu.Weight.AsSpan());
        var x = Tensor.FromArray(c.GetProperty("x").Floats(), c.GetProperty("shape").Ints()).RequireGrad();
        var y = prelu.Forward(x);
        y.Backward(Tensor.FromArray(c.GetProperty("gout").Floats(), c.GetProperty("shape").Ints()));
        Assert.Equal(c.GetProperty("y").Floats(), y.ToArray());
        Assert.Equal(c.GetProperty("gx").Floats(), x.Grad!.ToArray());
        TorchGolden.AssertClose(c.GetProperty("gw").Floats(), prelu.Weight.Grad!.ToArray(), 4, "gw");
        Assert.Equal(["weight"], prelu.NamedParameters().Select(p => p.Name));
    }

    /// <summary>Each unit (per channel, C = 3, on [5, 3]) with its parameters perturbed away from the defaults.</summary>
    public static TheoryData<string> Units() => ["prelu", "apa", "apa_plain", "sau", "pau_safe", "pau_abssum"];

    private static Module Make(string unit) => unit switch
    {
        "prelu" => Perturb(new PRelu(3, 0.2f)),
        "apa" => Perturb(new Apa(3, 1.2f, 0.7f)),
        "apa_plain" => Perturb(new Apa(3, 0.9f, 1.4f, gated: false)),
        "sau" => Perturb(new Sau(3, 0.1f, 0.8f)),
        "pau_safe" => Perturb(new Rational([0.03f, 0.6f, 2.4f, 1.6f, 0.3f, 0.016f], [-1.2f, 2.2f, 0.04f, 0.036f], RationalForm.Safe, 3)),
        "pau_abssum" => Perturb(new Rational([0.02f, 0.5f, 0.8f, 0.4f, 0.05f, 0.01f], [0.6f, 0.1f, 0.2f, 0.01f], RationalForm.AbsSum, 3)),
        _ => throw new ArgumentException(unit),
    };

    // Distinct values per channel, so a channel mix-up cannot pass.
    private static Module Perturb(Module m)
    {
        foreach (var p in m.Parameters())
        {
            var s = p.AsSpan();
            for (int i = 0; i < s.Length; i++) s[i] *= 1 + 0.07f * (i % 3);
        }
        return m;
    }

    private static Tensor Param(Module m, string name) => m.NamedParameters().Single(p => p.Name == name).Tensor;

    /// <summary>The specification: the same function from primitive ops (broadcasting [C] over [N, C]).</summary>
    private static Tensor Composed(string unit, Module m, Tensor x)
    {
        switch (unit)
        {
            case "prelu":
                return Ops.Clamp(x, 0, float.PositiveInfinity) + Param(m, "weight") * Ops.Clamp(x, float.NegativeInfinity, 0);
            case "apa":
            case "apa_plain":
            {
                var k = Param(m, "kappa");
                var l = Param(m, "lambda");
                var u = Ops.Log(l * Ops.Exp(Ops.Neg(k * x)) + 1f);
                var a = Ops.Exp(Ops.Neg(u / l));
                return unit == "apa" ? x * a : a;
            }
            case "sau":
            {
                var al = Param(m, "alpha");
                var s = Param(m, "sigma");
                var t = x / s;
                var cdf = (Ops.Erf(t * (float)(1 / Math.Sqrt(2))) + 1f) * 0.5f;
                var pdf = Ops.Exp(t * t * -0.5f) * (float)(1 / Math.Sqrt(2 * Math.PI));
                return al * x + (Ops.Neg(al) + 1f) * (x * cdf + s * pdf);
            }
            default:
            {
                var a = Param(m, "numerator");
                var b = Param(m, "denominator");
                bool safe = unit == "pau_safe";
                int C = a.Size(0);
                Tensor Col(Tensor t, int k) => Ops.Reshape(Ops.Slice(t, 1, k, 1), C);
                var num = Col(a, 5) * 1f;
                for (int k = 4; k >= 0; k--) num = num * x + Col(a, k);
                var u = safe ? Ops.Abs(x) : x;
                Tensor Coef(int k) => safe ? Ops.Abs(Col(b, k - 1)) : Col(b, k - 1);
                var s = Coef(4) * u;
                for (int k = 3; k >= 1; k--) s = (s + Coef(k)) * u;
                return num / (Ops.Abs(s) + 1f);
            }
        }
    }

    private static (Tensor X, Tensor W) Inputs(ulong seed, float scale)
    {
        var rng = new Rng(seed);
        var x = Tensor.Zeros(5, 3);
        var w = Tensor.Zeros(5, 3);
        var xs = x.AsSpan();
        var ws = w.AsSpan();
        for (int i = 0; i < xs.Length; i++) { xs[i] = scale * (2 * rng.NextFloat() - 1); ws[i] = 2 * rng.NextFloat() - 1; }
        xs[4] += xs[4] == 0 ? 0.5f : 0; // keep inputs off the kink at 0
        return (x, w);
    }

    /// <summary>
    /// Fused == composed: value within 1e-5·(1 + |y|) and dx, dθ within 1e-4·(1 + |g|) (two float evaluations of the
    /// same formula in different orders; ≤ ~40 roundings each). A missing term or a wrong channel is off by O(1).
    /// </summary>
    [Theory, MemberData(nameof(Units))]
    public void FusedEqualsComposition(string unit)
    {
        var (x0, w) = Inputs(3, 2.5f);
        var fused = Make(unit);
        var composed = Make(unit);
        var x1 = Tensor.FromArray(x0.ToArray(), 5, 3).RequireGrad();
        var x2 = Tensor.FromArray(x0.ToArray(), 5, 3).RequireGrad();
        var y1 = fused.Forward(x1);
        var y2 = Composed(unit, composed, x2);
        Ops.Sum(y1 * w).Backward();
        Ops.Sum(y2 * w).Backward();
        Close(y2.ToArray(), y1.ToArray(), 1e-5, $"{unit} y");
        Close(x2.Grad!.ToArray(), x1.Grad!.ToArray(), 1e-4, $"{unit} dx");
        foreach (var (p1, p2) in fused.NamedParameters().Zip(composed.NamedParameters()))
            Close(p2.Tensor.Grad!.ToArray(), p1.Tensor.Grad!.ToArray(), 1e-4, $"{unit} d{p1.Name}");
    }

    /// <summary>
    /// Central differences through the float module (L = Σ w⊙y accumulated in double) for dx and every parameter
    /// element. h = 1e-2·max(1, |v|): truncation h²·|f‴|/6 ≲ 1e-4·scale, float rounding of L (15 terms of ≤ 1e-7·|y|)
    /// divided by 2h ≲ 1e-4·scale. Bound 2e-3·(1 + |g|); a wrong rule is off by O(|g|).
    /// </summary>
    [Theory, MemberData(nameof(Units))]
    public void GradientsMatchFiniteDifferencesThroughFloatModule(string unit)
    {
        var (x, w) = Inputs(9, 2f);
        var m = Make(unit);
        x.RequireGrad();
        Ops.Sum(m.Forward(x) * w).Backward();
        double Loss()
        {
            using var _ = Autodiff.Autograd.NoGrad();
            var y = m.Forward(x).ToArray();
            var ws = w.ToArray();
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)y[i] * ws[i];
            return s;
        }
        void Check(Tensor t, string what)
        {
            var s = t.AsSpan();
            var g = t.Grad!.ToArray();
            for (int i = 0; i < s.Length; i++)
            {
                float keep = s[i], h = 1e-2f * Math.Max(1, Math.Abs(keep));
                s[i] = keep + h; double lp = Loss();
                s[i] = keep - h; double lm = Loss();
                s[i] = keep;
                double fd = (lp - lm) / (2 * h);
                Assert.True(Math.Abs(g[i] - fd) <= 2e-3 * (1 + Math.Abs(fd)), $"{unit} {what}[{i}]: analytic {g[i]}, finite difference {fd}");
            }
        }
        Check(x, "x");
        foreach (var p in m.NamedParameters()) Check(p.Tensor, p.Name);
    }

    /// <summary>Per-channel parameters of a rank-3 input [N, C, L] use dimension 1, as torch.nn.PReLU.</summary>
    [Fact]
    public void PerChannelUsesDimensionOne()
    {
        var prelu = new PRelu(2);
        prelu.Weight.AsSpan()[1] = -3f;
        var x = Tensor.Full(-1f, 2, 2, 3);
        var y = prelu.Forward(x).ToArray();
        Assert.Equal([0.25f, 0.25f, 0.25f, -3f, -3f, -3f, 0.25f, 0.25f, 0.25f, -3f, -3f, -3f], y.Select(v => -v).ToArray());
        var ex = Assert.Throws<ArgumentException>(() => prelu.Forward(Tensor.Zeros(4, 3)));
        Assert.Contains("[N, 2, *]", ex.Message);
    }

    private static void Close(float[] expected, float[] actual, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= rel * (1 + Math.Abs(expected[i])), $"{what}[{i}]: fused {actual[i]}, composed {expected[i]}");
    }
}
