using Nonlinear.Symbolic;

namespace Nonlinear.Kan.Symbolic;

/// <summary>
/// A fitted edge y ≈ c·f(a·x + b) + d with its coefficient of determination R² = 1 − SS_res/SS_tot on the data it
/// was fitted to and its ranking score (lower is better; see <see cref="EdgeSymbolicFitter.Score"/>).
/// </summary>
/// <param name="Function">The library function f.</param>
/// <param name="A">Inner scale a.</param>
/// <param name="B">Inner shift b.</param>
/// <param name="C">Outer scale c.</param>
/// <param name="D">Outer shift d.</param>
/// <param name="R2">R² on the fitted data (1 for constant data that the fit reproduces exactly).</param>
/// <param name="Score">w·complexity + (1−w)·log₂(1 + 1e-5 − R²).</param>
public sealed record SymbolicFit(SymbolicFunction Function, double A, double B, double C, double D, double R2, double Score)
{
    /// <summary>c·f(a·x + b) + d at <paramref name="x"/>.</summary>
    public double Evaluate(double x) => C * Function.Evaluate(A * x + B) + D;

    /// <summary>The fit as an expression of <paramref name="input"/>: c·f(a·input + b) + d (unsimplified).</summary>
    public Expr ToExpr(Expr input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Function.IsZero) return Expr.C(D);
        return Expr.C(C) * Function.Build(Expr.C(A) * input + Expr.C(B)) + Expr.C(D);
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{ExprFormat.Text(ExprSimplifier.Simplify(ToExpr(new Var(0, "x")), digits: 4))}  (f = {Function.Name}, R² = {R2:F6})";
}
