using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>
/// Δu + k²u = q on [−1, 1]², u = 0 on the boundary, with q chosen so u = sin(a₁πx)·sin(a₂πy):
/// q = (k² − (a₁² + a₂²)π²)·u. The PINN benchmark of Wang, Teng and Perdikaris (2021) uses a₁ = 1, a₂ = 4, k = 1; we take
/// a₂ = 2 by default so the small networks of the CLI resolve it (a₂ = 4 is a known failure case of plain PINNs).
/// </summary>
public sealed class Helmholtz2d(double a1 = 1, double a2 = 2, double k = 1) : PdeProblem
{
    /// <inheritdoc/>
    public override string Name => "helmholtz2d";
    /// <inheritdoc/>
    public override string Equation => FormattableString.Invariant($"u_xx + u_yy + {k * k}·u = q on [−1,1]², u = 0 on the boundary; u = sin({a1}πx)·sin({a2}πy)");
    /// <inheritdoc/>
    public override (string First, string Second) Coordinates => ("x", "y");
    /// <inheritdoc/>
    public override (double First, double Second) Lower => (-1, -1);
    /// <inheritdoc/>
    public override (double First, double Second) Upper => (1, 1);
    /// <inheritdoc/>
    public override double Solution(double a, double b) => Math.Sin(a1 * Math.PI * a) * Math.Sin(a2 * Math.PI * b);

    /// <inheritdoc/>
    public override Tensor Residual(PdeFields u)
    {
        ArgumentNullException.ThrowIfNull(u);
        var ps = u.Points.AsReadOnlySpan();
        var q = new float[u.Points.Size(0)];
        double c = k * k - (a1 * a1 + a2 * a2) * Math.PI * Math.PI;
        for (int i = 0; i < q.Length; i++) q[i] = (float)(c * Solution(ps[2 * i], ps[2 * i + 1]));
        var lhs = Ops.Add(Ops.Add(u.Daa, u.Dbb), Ops.MulScalar(u.U, (float)(k * k)));
        return Ops.Sub(lhs, Tensor.FromArray(q, q.Length));
    }
}
