using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>
/// u_t = α·u_xx on x ∈ [0, 1], t ∈ [0, 1], u(0, t) = u(1, t) = 0, u(x, 0) = sin(πx): solution u = e^(−απ²t)·sin(πx).
/// α = 0.1 by default (the solution decays to e^(−π²/10) ≈ 0.37 of its start).
/// </summary>
public sealed class Heat1d(double alpha = 0.1) : PdeProblem
{
    /// <inheritdoc/>
    public override string Name => "heat1d";
    /// <inheritdoc/>
    public override string Equation => FormattableString.Invariant($"u_t = {alpha}·u_xx on [0,1]×[0,1], u(0,t) = u(1,t) = 0, u(x,0) = sin(πx); u = exp(−{alpha}π²t)·sin(πx)");
    /// <inheritdoc/>
    public override (string First, string Second) Coordinates => ("x", "t");
    /// <inheritdoc/>
    public override (double First, double Second) Lower => (0, 0);
    /// <inheritdoc/>
    public override (double First, double Second) Upper => (1, 1);
    /// <inheritdoc/>
    public override bool IsEvolution => true;
    /// <inheritdoc/>
    public override double Solution(double a, double b) => Math.Exp(-alpha * Math.PI * Math.PI * b) * Math.Sin(Math.PI * a);

    /// <inheritdoc/>
    public override Tensor Residual(PdeFields u)
    {
        ArgumentNullException.ThrowIfNull(u);
        return Ops.Sub(u.Db, Ops.MulScalar(u.Daa, (float)alpha));
    }
}
