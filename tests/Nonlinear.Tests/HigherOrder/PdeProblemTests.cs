using Nonlinear.Tensors;
using Nonlinear.Training.Pinn;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.HigherOrder;

/// <summary>The PDE problems: their residuals vanish on their solutions (derivatives by createGraph), the Burgers reference solves its PDE.</summary>
public class PdeProblemTests
{
    private static Tensor Points(PdeProblem p)
    {
        var (a0, b0) = p.Lower;
        var (a1, b1) = p.Upper;
        var v = new List<float>();
        for (int i = 1; i <= 4; i++) for (int j = 1; j <= 4; j++) { v.Add((float)(a0 + (a1 - a0) * i / 5.3)); v.Add((float)(b0 + (b1 - b0) * j / 5.3)); }
        return Tensor.FromArray([.. v], v.Count / 2, 2).RequireGrad();
    }

    [Fact]
    public void PoissonHelmholtzAndHeatResidualsVanishOnTheirSolutions()
    {
        const float pi = MathF.PI;
        // u written with recorded ops of the points, so PdeFields differentiates it exactly as it does a network.
        var cases = new (PdeProblem P, Func<Tensor, Tensor, Tensor> U)[]
        {
            (new Poisson2d(), (a, b) => O.Mul(O.Sin(O.MulScalar(a, pi)), O.Sin(O.MulScalar(b, pi)))),
            (new Helmholtz2d(), (a, b) => O.Mul(O.Sin(O.MulScalar(a, pi)), O.Sin(O.MulScalar(b, 2 * pi)))),
            (new Heat1d(), (a, b) => O.Mul(O.Exp(O.MulScalar(b, -0.1f * pi * pi)), O.Sin(O.MulScalar(a, pi)))),
        };
        foreach (var (p, u) in cases)
        {
            var pts = Points(p);
            var field = u(O.Select(pts, 1, 0), O.Select(pts, 1, 1));
            var r = p.Residual(new PdeFields(pts, O.Reshape(field, -1, 1))).ToArray();
            // Terms of size up to (a₁² + a₂²)π² ≈ 50 cancel: float32 leaves a few 1e-5.
            Assert.True(r.All(v => Math.Abs(v) < 1e-4), $"{p.Name}: residual up to {r.Max(Math.Abs):G3}");
            // u + a²/2 is not a solution of any of them (a multiple of u would be: the equations are linear and homogeneous
            // up to their sources): its residual picks up at least α·1 = 0.1.
            var a0 = O.Select(pts, 1, 0);
            var off = O.Add(u(a0, O.Select(pts, 1, 1)), O.MulScalar(O.Mul(a0, a0), 0.5f));
            var wrong = p.Residual(new PdeFields(pts, O.Reshape(off, -1, 1))).ToArray();
            Assert.True(wrong.Max(Math.Abs) > 0.05, $"{p.Name}: a wrong field still has residual {wrong.Max(Math.Abs):G3}");
        }
    }

    [Fact]
    public void BurgersReferenceMeetsItsInitialValuesAndSolvesThePde()
    {
        var p = new Burgers1d();
        Assert.Equal(-Math.Sin(Math.PI * 0.3), p.Solution(0.3, 0), 12);
        Assert.Equal(-Math.Sin(Math.PI * 0.3), p.Solution(0.3, 1e-7), 4);
        Assert.Equal(0, p.Solution(0, 0.5), 10);      // odd in x
        double nu = 0.01 / Math.PI, h = 1e-3;
        foreach (var (x, t) in new[] { (0.3, 0.2), (-0.5, 0.4), (0.6, 0.8) })
        {
            double u = p.Solution(x, t);
            double ut = (p.Solution(x, t + h) - p.Solution(x, t - h)) / (2 * h);
            double ux = (p.Solution(x + h, t) - p.Solution(x - h, t)) / (2 * h);
            double uxx = (p.Solution(x + h, t) - 2 * u + p.Solution(x - h, t)) / (h * h);
            double residual = ut + u * ux - nu * uxx;
            // Central differences with h = 1e-3 away from the shock at x = 0: O(h²·u‴) ≈ 1e-4 relative to |u_t| ~ 1.
            Assert.True(Math.Abs(residual) < 1e-3, $"Burgers reference at ({x}, {t}): residual {residual:G3} (u {u:G4}, u_t {ut:G4})");
        }
    }
}
