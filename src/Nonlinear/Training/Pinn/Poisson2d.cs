using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>
/// −Δu = f on [−1, 1]², u = 0 on the boundary, f = 2π²·sin(πx)·sin(πy): solution u = sin(πx)·sin(πy). The KAN paper's
/// PDE example (Liu et al., 2024, §3.4; pykan's "PDE" tutorial).
/// </summary>
public sealed class Poisson2d : PdeProblem
{
    /// <inheritdoc/>
    public override string Name => "poisson2d";
    /// <inheritdoc/>
    public override string Equation => "−(u_xx + u_yy) = 2π²·sin(πx)·sin(πy) on [−1,1]², u = 0 on the boundary; u = sin(πx)·sin(πy)";
    /// <inheritdoc/>
    public override (string First, string Second) Coordinates => ("x", "y");
    /// <inheritdoc/>
    public override (double First, double Second) Lower => (-1, -1);
    /// <inheritdoc/>
    public override (double First, double Second) Upper => (1, 1);
    /// <inheritdoc/>
    public override double Solution(double a, double b) => Math.Sin(Math.PI * a) * Math.Sin(Math.PI * b);

    /// <inheritdoc/>
    public override Tensor Residual(PdeFields u)
    {
        ArgumentNullException.ThrowIfNull(u);
        return Ops.Add(Ops.Add(u.Daa, u.Dbb), Source(u.Points));
    }

    // f = 2π²·sin(πx)·sin(πy), a constant of the points (no gradient needed).
    private static Tensor Source(Tensor p)
    {
        var ps = p.AsReadOnlySpan();
        var f = new float[p.Size(0)];
        for (int i = 0; i < f.Length; i++) f[i] = (float)(2 * Math.PI * Math.PI * Math.Sin(Math.PI * ps[2 * i]) * Math.Sin(Math.PI * ps[2 * i + 1]));
        return Tensor.FromArray(f, f.Length);
    }
}
