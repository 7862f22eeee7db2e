using Nonlinear.Activations;
using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Formula;

/// <summary>
/// Catalog entries written as formulas must give the catalog's values and derivatives (float forward and backward, the
/// default tier) on x ∈ [−12, 12] in steps of 1/64 plus ±30 and ±80. Each row states its bound as
/// |formula − catalog| ≤ R·ε·|catalog| + A·ε·(1 + |x|) with ε = 2⁻²³, and why; exact kink points (the catalog's Kinks) are
/// skipped for the derivative, where the formula language takes relu′(0) = ½ and the catalog PyTorch's 0.
/// </summary>
public sealed class FormulaCatalogMatchTests
{
    private const double Eps = 1.0 / (1 << 23);

    /// <summary>catalog spec, formula, (R, A) forward, (R, A) derivative, reason.</summary>
    public static TheoryData<string, string, double, double, double, double, string> Rows() => new()
    {
        // Same vector ops in the same order as the fused kernel: bit-identical.
        { "relu", "max(x,0)", 0, 0, 0, 0, "relu(x) is the catalog's compare-and-select; f′ = (sgn x + 1)/2 is exactly 0 or 1 off the kink" },
        { "identity", "x", 0, 0, 0, 0, "a copy; f′ = 1" },
        { "silu", "x*sigmoid(x)", 0, 0, 8, 2, "same σ and product; f′ = σ + xσ(1 − σ) forms 1 − σ by subtraction (one ulp of 1, times |x|)" },
        { "silu(beta=1.5)", "x*sigmoid(b*x); b=1.5", 0, 0, 8, 3, "b·x is the catalog's product; f′ as silu with the factor b" },
        { "quick_gelu", "x*sigmoid(1.702*x)", 0, 0, 8, 3, "silu with β = 1.702" },
        { "sigmoid", "sigmoid(x)", 0, 0, 8, 1, "same σ; f′ = σ(1 − σ) by subtraction instead of from one exponential" },
        { "tanh", "tanh(x)", 0, 0, 4, 1, "same tanh; f′ = 1 − tanh² in both" },
        { "softplus", "softplus(x)", 0, 0, 8, 1, "same softplus for beta·x ≤ threshold 20 and x beyond (log1p(e^−|x|) < 2⁻²⁹ there); f′ = σ" },
        { "mish", "x*tanh(softplus(x))", 8, 1, 16, 4, "tanh(softplus) rounded twice (each ≤ 2 ulp) where the fused kernel uses one rational form; f′ holds 1 − tanh² (one ulp of 1, times |x|)" },
        { "gelu", "x*erfc(-x/sqrt(2))/2", 152, 0, 160, 2, "Φ through erfc keeps the left tail relative, but erfc's relative condition number at z = x/√2 is 2z² = x²: the rounding of x/√2 (not the fused kernel's) becomes up to x²·ε, 144ε at x = −12 (measured 81ε); f′ the same through e^(−x²/2)" },
        { "gelu_tanh", "x*sigmoid(2*sqrt(2/pi)*(x+0.044715*x^3))", 16, 1, 64, 8, "½(1 + tanh z) written as σ(2z) (no cancellation in the left tail); the cubic rounds differently; f′ holds 1 − σ and z′ = 1 + 3·0.044715x² (|x|-scaled terms)" },
        { "softsign", "x/(1+abs(x))", 2, 0, 4, 0, "one division either way; f′ = 1/(1 + |x|)² − ... simplified by the chain rule (a few roundings)" },
        { "log_sigmoid", "-softplus(-x)", 0, 0, 8, 1, "the same stable softplus; f′ = σ(−x)" },
        { "elu", "max(x,0) + min(exp(x)-1,0)", 0, 1, 0, 1, "e^x − 1 by subtraction: absolute error one ulp of 1 near 0 where the catalog uses expm1; f′ = e^x" },
        { "celu", "max(x,0) + min(exp(x)-1,0)", 0, 1, 0, 1, "celu with alpha 1 is elu" },
        { "selu", "1.0507009873554805*(max(x,0) + min(1.6732632423543772*(exp(x)-1),0))", 4, 2, 4, 2, "elu's subtraction, scaled; constants rounded to float once, products in another order than the fused kernel" },
        { "leaky_relu", "relu(x) - 0.01*relu(-x)", 0, 0, 0, 1, "values: x and 0.01·x exactly (the other relu is 0); f′: the simplifier collects the two (sgn + 1)/2 terms, so 0.01 comes out of sums at the scale of ½ (measured 9.3e-9, under one ulp of 1)" },
        { "relu6", "6 - relu(6 - relu(x))", 0, 4, 0, 0, "6 − (6 − x) for 0 < x < 6: the inner difference rounds (≤ half an ulp of 6 = 2ε·… , bounded by 4ε); exact elsewhere" },
        { "hard_tanh", "1 - relu(1 - (relu(x+1) - 1))", 0, 2, 0, 0, "x + 1 − 1 and 1 − (1 − m) round at the scale of 1 and 2 inside (−1, 1); exact outside" },
        { "lisht", "x*tanh(x)", 0, 0, 4, 2, "same tanh and product; f′ = tanh + x(1 − tanh²)" },
        { "gcu", "x*cos(x)", 0, 0, 4, 2, "same cos; f′ = cos − x·sin" },
        { "golu", "x*exp(-exp(-x))", 8, 0, 16, 2, "two exponentials each within 1 ulp, composed (the inner error is scaled by e^−x in the outer)" },
        { "atlu", "x*(1/2 + atan(x)/pi)", 4, 1, 8, 2, "atan within 2 ulp; ½ + atan/π adds one rounding at the scale of 1" },
        { "tanh_exp", "x*tanh(exp(x))", 8, 0, 16, 4, "tanh of e^x: each within 2 ulp; f′ holds 1 − tanh² of a large argument (one ulp of 1, times |x|e^x ≤ ...)" },
        { "tanhshrink", "x - tanh(x)", 0, 1, 8, 1, "x − tanh x cancels near 0: one ulp of x, i.e. ε·|x|" },
    };

    [Theory, MemberData(nameof(Rows))]
    public void FormulaMatchesCatalogValuesAndDerivatives(string catalog, string formula, double rf, double af, double rd, double ad, string reason)
    {
        var c = ActivationCatalog.Parse(catalog);
        var f = ActivationCatalog.Parse(formula);
        Assert.Equal("formula", f.Info.Family);
        var xs = Enumerable.Range(-768, 1537).Select(k => k / 64f).Concat([30f, -30f, 80f, -80f]).ToArray();
        var ones = Enumerable.Repeat(1f, xs.Length).ToArray();
        var (yc, dc) = (new float[xs.Length], new float[xs.Length]);
        var (yf, df) = (new float[xs.Length], new float[xs.Length]);
        c.Forward(xs, yc);
        f.Forward(xs, yf);
        c.Backward(c.Info.Uses == BackwardUses.Output ? default : xs, c.Info.Uses == BackwardUses.Input ? default : yc, ones, dc);
        f.Backward(xs, default, ones, df);
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double boundF = rf * Eps * Math.Abs(yc[i]) + af * Eps * (1 + Math.Abs(x));
            double errF = Math.Abs((double)yf[i] - yc[i]);
            Assert.True(errF <= boundF || (yf[i] == yc[i]),
                $"{formula} vs {catalog} at x = {x:R}: {yf[i]:R} vs {yc[i]:R} (error {errF:G3}, bound {boundF:G3}; {reason})");
            if (c.Info.Kinks.Contains(x)) continue;
            double boundD = rd * Eps * Math.Abs(dc[i]) + ad * Eps * (1 + Math.Abs(x));
            double errD = Math.Abs((double)df[i] - dc[i]);
            Assert.True(errD <= boundD || (df[i] == dc[i]),
                $"{formula} vs {catalog} derivative at x = {x:R}: {df[i]:R} vs {dc[i]:R} (error {errD:G3}, bound {boundD:G3}; {reason})");
        }
    }

    [Fact]
    public void TwentyOrMoreCatalogEntriesAreCovered()
    {
        var names = Rows().Select(r => ActivationCatalog.Parse((string)r[0]).Info.Name).Distinct().ToArray();
        Assert.True(names.Length >= 20, $"{names.Length} catalog entries covered");
    }
}
