using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>
/// Viscous Burgers u_t + u·u_x = ν·u_xx on x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0, ν = 0.01/π (Raissi,
/// Perdikaris and Karniadakis, 2019). Reference: the Cole–Hopf solution (Basdevant et al., 1986)
/// u(x, t) = −∫ sin(π(x − η))·F(x − η)·e^(−η²/4νt) dη / ∫ F(x − η)·e^(−η²/4νt) dη, F(y) = exp(−cos(πy)/(2πν)),
/// evaluated with η = √(4νt)·z by the trapezoid rule on z ∈ [−12, 12] (4801 nodes; the integrand is smooth and
/// decays like e^(−z²), so the rule converges geometrically), exponents shifted by their maximum so nothing overflows.
/// </summary>
public sealed class Burgers1d(double nu = 0.01 / Math.PI) : PdeProblem
{
    private const int Nodes = 4801;
    private const double Span = 12;

    /// <inheritdoc/>
    public override string Name => "burgers1d";
    /// <inheritdoc/>
    public override string Equation => FormattableString.Invariant($"u_t + u·u_x = {nu:G4}·u_xx on [−1,1]×[0,1], u(x,0) = −sin(πx), u(±1,t) = 0; reference by Cole–Hopf quadrature");
    /// <inheritdoc/>
    public override (string First, string Second) Coordinates => ("x", "t");
    /// <inheritdoc/>
    public override (double First, double Second) Lower => (-1, 0);
    /// <inheritdoc/>
    public override (double First, double Second) Upper => (1, 1);
    /// <inheritdoc/>
    public override bool IsEvolution => true;

    /// <inheritdoc/>
    public override double BoundaryValue(double a, double b) => b <= 0 ? -Math.Sin(Math.PI * a) : 0;

    /// <inheritdoc/>
    public override double Solution(double a, double b)
    {
        if (b <= 0) return -Math.Sin(Math.PI * a);
        double s = Math.Sqrt(4 * nu * b), h = 2 * Span / (Nodes - 1);
        double max = double.NegativeInfinity;
        for (int i = 0; i < Nodes; i++) max = Math.Max(max, Exponent(a, s, -Span + i * h));
        double num = 0, den = 0;
        for (int i = 0; i < Nodes; i++)
        {
            double z = -Span + i * h, w = (i == 0 || i == Nodes - 1 ? 0.5 : 1) * Math.Exp(Exponent(a, s, z) - max);
            num += Math.Sin(Math.PI * (a - s * z)) * w;
            den += w;
        }
        return -num / den;
    }

    // ln(F(x − s·z)·e^(−z²)).
    private double Exponent(double x, double s, double z) => -Math.Cos(Math.PI * (x - s * z)) / (2 * Math.PI * nu) - z * z;

    /// <inheritdoc/>
    public override Tensor Residual(PdeFields u)
    {
        ArgumentNullException.ThrowIfNull(u);
        return Ops.Sub(Ops.Add(u.Db, Ops.Mul(u.U, u.Da)), Ops.MulScalar(u.Daa, (float)nu));
    }
}
