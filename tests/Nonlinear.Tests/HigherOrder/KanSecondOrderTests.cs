using Nonlinear.Autodiff;
using Nonlinear.Kan;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.HigherOrder;

/// <summary>The KAN layer under createGraph: its rebuilt forward, and second derivatives (input and mixed input/parameter).</summary>
public class KanSecondOrderTests
{
    private static Tensor Points(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var v = new float[2 * n];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(1.8 * rng.NextDouble() - 0.9);
        return Tensor.FromArray(v, n, 2);
    }

    [Theory]
    [InlineData(KanSplinePath.Dense)]
    [InlineData(KanSplinePath.Sparse)]
    public void CreateGraphGradientEqualsTheFusedGradient(KanSplinePath path)
    {
        var net = new KanNetwork([2, 3, 1], null, new Rng(7));
        foreach (var l in net.Layers) l.SplinePath = path;
        var x = Points(6, 1).RequireGrad();
        var fused = Autograd.Grad([O.Sum(net.Call(x))], [x])[0].ToArray();
        var recorded = Autograd.Grad([O.Sum(net.Call(x))], [x], createGraph: true)[0];
        Assert.True(recorded.RequiresGrad);
        var r = recorded.ToArray();
        for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(r[i] - fused[i]) <= 1e-5 * (1 + Math.Abs(fused[i])), $"{path} ∂y/∂x[{i}]: recorded {r[i]:R}, fused {fused[i]:R}");
    }

    [Fact]
    public void SecondDerivativesInTheInputMatchFiniteDifferences()
    {
        var net = new KanNetwork([2, 3, 1], null, new Rng(3));
        var report = GradGradCheck.Run(x => net.Call(x[0]), [Points(3, 2)]);
        Assert.True(report.Passed, $"{report.Worst} (ratio {report.WorstRatio:G3})");
    }

    [Fact]
    public void MixedInputParameterDerivativesMatchFiniteDifferences()
    {
        // d/dθ of du/dx: the check perturbs the coefficients of the first layer as a second input.
        var net = new KanNetwork([2, 2, 1], null, new Rng(5));
        var coef = net.Layers[0].Coefficients[0];
        var original = coef.ToArray();
        var x = Points(2, 9).RequireGrad();
        var g = Autograd.Grad([O.Sum(net.Call(x))], [x], createGraph: true)[0];
        var mixed = Autograd.Grad([O.Sum(O.Mul(g, g))], [coef])[0].ToArray();
        // Central differences of Σ (∂y/∂x)² in each coefficient, in double.
        const float h = 1e-2f;
        for (int e = 0; e < original.Length; e += 3)
        {
            double Eval(float delta)
            {
                var c = (float[])original.Clone();
                c[e] += delta;
                c.CopyTo(coef.AsSpan());
                var xx = Tensor.FromArray(x.ToArray(), 2, 2).RequireGrad();
                var gg = Autograd.Grad([O.Sum(net.Call(xx))], [xx])[0].ToArray();
                return gg.Sum(v => (double)v * v);
            }
            double fd = (Eval(h) - Eval(-h)) / (2 * h);
            original.CopyTo(coef.AsSpan());
            Assert.True(Math.Abs(mixed[e] - fd) <= 1e-3 + 1e-3 * Math.Abs(fd), $"∂/∂coef[{e}] Σ(∂y/∂x)²: {mixed[e]:R}, finite differences {fd:R}");
        }
    }

    [Theory]
    [InlineData("rbf")]
    [InlineData("rbf(centres=5,min=-1,max=1)")]
    [InlineData("fourier(frequencies=3)")]
    [InlineData("chebyshev(degree=4)")]
    [InlineData("bspline")]
    public void EveryBasisGivesSecondDerivativesMatchingFiniteDifferences(string basis)
    {
        var options = new KanOptions { Bases = [KanBasisSpec.Parse(basis)] };
        var net = new KanNetwork([2, 3, 1], options, new Rng(11));
        var x = Points(5, 4).RequireGrad();
        var fused = Autograd.Grad([O.Sum(net.Call(x))], [x])[0]!.ToArray();
        var recorded = Autograd.Grad([O.Sum(net.Call(x))], [x], createGraph: true)[0]!.ToArray();
        for (int i = 0; i < fused.Length; i++)
            Assert.True(Math.Abs(recorded[i] - fused[i]) <= 1e-5 * (1 + Math.Abs(fused[i])), $"{basis} ∂y/∂x[{i}]: recorded {recorded[i]:R}, fused {fused[i]:R}");
        // h = 2e-3, not the default 1e-2: through two Fourier/Chebyshev layers the fourth derivative is large (harmonic k of
        // an inner function with slope ≈ 3 scales as (3k)⁴), so the h²/6 truncation term would dominate; the float
        // rounding term ε·|G|/h stays below 2e-3 relative at this h.
        var report = GradGradCheck.Run(t => net.Call(t[0]), [Points(3, 6)], step: 2e-3);
        Assert.True(report.Passed, $"{basis}: {report.Worst} (ratio {report.WorstRatio:G3})");
    }
}
