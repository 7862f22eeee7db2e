using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.HigherOrder;

/// <summary>
/// Learnable units under createGraph: the recorded gradient equals the fused one (the composition is the same
/// function), second derivatives in x and mixed x/θ derivatives match central differences formed in double.
/// </summary>
public class LearnableSecondOrderTests
{
    public static TheoryData<string> Units() => new()
    {
        "prelu(init=0.3)", "prelu(init=0.3, per_channel=true)", "snake(a=0.7)", "snake(a=1.3, per_channel=true)",
        "snake_beta(a=0.8, beta=1.4)", "sau(alpha=0.1, sigma=0.8)", "sau(alpha=0.2, sigma=1.2, per_channel=true)",
        "apa(kappa=1.2, lambda=0.7)", "apa(kappa=0.9, lambda=1.5, gated=false)", "pau", "pau(m=3, n=2, form=abssum)",
        "pau(m=4, n=0)",
    };

    private static Module Unit(string spec) => ActivationSpec.Parse(spec).CreateModule(3, new Rng(2));

    // Points away from 0, where prelu's kink and the safe rational's |x| sit.
    private static Tensor Points(ulong seed)
    {
        var rng = new Rng(seed);
        var v = new float[12];
        for (int i = 0; i < v.Length; i++)
        {
            double m = 0.2 + 1.6 * rng.NextDouble();
            v[i] = (float)(rng.NextDouble() < 0.5 ? -m : m);
        }
        return Tensor.FromArray(v, 4, 3);
    }

    [Theory, MemberData(nameof(Units))]
    public void CreateGraphGradientsEqualTheFusedGradients(string spec)
    {
        var unit = Unit(spec);
        var x = Points(1).RequireGrad();
        var wrt = new[] { x }.Concat(unit.Parameters()).ToArray();
        var u = Points(5);
        var fused = Autograd.Grad([O.Sum(O.Mul(unit.Call(x), u))], wrt);
        var recorded = Autograd.Grad([O.Sum(O.Mul(unit.Call(x), u))], wrt, createGraph: true);
        for (int t = 0; t < wrt.Length; t++)
        {
            Assert.True(recorded[t]!.RequiresGrad, $"{spec}: gradient {t} not recorded");
            var f = fused[t]!.ToArray();
            var r = recorded[t]!.ToArray();
            for (int i = 0; i < f.Length; i++)
                Assert.True(Math.Abs(r[i] - f[i]) <= 2e-5 * (1 + Math.Abs(f[i])), $"{spec} gradient {t}[{i}]: recorded {r[i]:R}, fused {f[i]:R}");
        }
    }

    [Theory, MemberData(nameof(Units))]
    public void SecondDerivativesInTheInputMatchFiniteDifferences(string spec)
    {
        var unit = Unit(spec);
        var report = GradGradCheck.Run(x => unit.Call(x[0]), [Points(3)]);
        Assert.True(report.Passed, $"{spec}: {report.Worst} (ratio {report.WorstRatio:G3})");
    }

    [Theory, MemberData(nameof(Units))]
    public void MixedInputParameterDerivativesMatchFiniteDifferences(string spec)
    {
        // d/dθ of Σ (∂y/∂x)²: what a gradient penalty or a PDE residual trains.
        var unit = Unit(spec);
        var x = Points(7).RequireGrad();
        foreach (var p in unit.Parameters())
        {
            var g = Autograd.Grad([O.Sum(unit.Call(x))], [x], createGraph: true)[0]!;
            var analytic = Autograd.Grad([O.Sum(O.Mul(g, g))], [p])[0]!.ToArray();
            var original = p.ToArray();
            const float h = 1e-2f;
            for (int e = 0; e < original.Length; e++)
            {
                double Eval(float delta)
                {
                    var span = p.AsSpan();
                    original.CopyTo(span);
                    span[e] += delta;
                    var xe = Tensor.FromArray(x.ToArray(), x.Shape.ToArray()).RequireGrad();
                    var ge = Autograd.Grad([O.Sum(unit.Call(xe))], [xe])[0]!.ToArray();
                    double s = 0;
                    foreach (float v in ge) s += (double)v * v;
                    return s;
                }
                // Richardson's extrapolation of two central differences cancels the h² truncation term, which
                // matters where Σ(∂y/∂x)² curves strongly in θ (the abssum rational).
                double d1 = (Eval(h) - Eval(-h)) / (2 * h), d2 = (Eval(h / 2) - Eval(-h / 2)) / h;
                double numeric = (4 * d2 - d1) / 3;
                original.CopyTo(p.AsSpan());
                Assert.True(Math.Abs(analytic[e] - numeric) <= 1e-3 + 1e-3 * Math.Abs(numeric),
                    $"{spec} ∂/∂θ[{e}] Σ(∂y/∂x)²: recorded {analytic[e]:R}, central difference {numeric:R}");
            }
        }
    }
}
