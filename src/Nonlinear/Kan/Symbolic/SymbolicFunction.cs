using Nonlinear.Symbolic;

namespace Nonlinear.Kan.Symbolic;

/// <summary>
/// One candidate of the symbolic library: f evaluated in double (NaN/±∞ outside its domain, which the fitter treats
/// as "this (a, b) is not admissible"), its complexity for ranking, and how to write f(u) as an expression.
/// </summary>
/// <param name="Name">Name as pykan's SYMBOLIC_LIB keys ("x^2", "sin", "1/sqrt(x)", "0", …).</param>
/// <param name="Evaluate">f(u) in double.</param>
/// <param name="Complexity">Cost used in ranking (pykan's complexity: x 1, x² 2, sin 2, tanh 3, arcsin 4, 0 0, …).</param>
/// <param name="Build">f applied to an expression u.</param>
/// <param name="Domain">Human-readable domain, e.g. "u > 0".</param>
public sealed record SymbolicFunction(string Name, Func<double, double> Evaluate, int Complexity, Func<Expr, Expr> Build, string Domain = "all u")
{
    /// <summary>True for the zero function (the edge contributes only its constant d).</summary>
    public bool IsZero => Name == "0";

    /// <summary>True for the identity, whose a and b are absorbed by c and d (no search over them).</summary>
    public bool IsIdentity => Name == "x";

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The library searched by <see cref="EdgeSymbolicFitter"/>: 36 functions, pykan's SYMBOLIC_LIB and more (erf, sinc, Bessel J₀/J₁, Γ, ln|Γ|).</summary>
public static class SymbolicLibrary
{
    private static Expr P(Expr u, double k) => Expr.Pow(u, Expr.C(k));
    private static Expr Fn(MathFunction f, Expr u) => Expr.F(f, u);

    /// <summary>Every function, in a fixed order.</summary>
    public static IReadOnlyList<SymbolicFunction> All { get; } =
    [
        new("x", u => u, 1, u => u),
        new("x^2", u => u * u, 2, u => P(u, 2)),
        new("x^3", u => u * u * u, 3, u => P(u, 3)),
        new("x^4", u => u * u * u * u, 3, u => P(u, 4)),
        new("x^5", u => u * u * u * u * u, 3, u => P(u, 5)),
        new("1/x", u => 1 / u, 2, u => Expr.C(1) / u, "u ≠ 0"),
        new("1/x^2", u => 1 / (u * u), 2, u => Expr.C(1) / P(u, 2), "u ≠ 0"),
        new("1/x^3", u => 1 / (u * u * u), 3, u => Expr.C(1) / P(u, 3), "u ≠ 0"),
        new("sqrt", Math.Sqrt, 2, u => Fn(MathFunction.Sqrt, u), "u ≥ 0"),
        new("1/sqrt(x)", u => 1 / Math.Sqrt(u), 2, u => Expr.C(1) / Fn(MathFunction.Sqrt, u), "u > 0"),
        new("x^1.5", u => u * Math.Sqrt(u), 4, u => P(u, 1.5), "u ≥ 0"),
        new("exp", Math.Exp, 2, u => Fn(MathFunction.Exp, u)),
        new("log", Math.Log, 2, u => Fn(MathFunction.Log, u), "u > 0"),
        new("sin", Math.Sin, 2, u => Fn(MathFunction.Sin, u)),
        new("cos", Math.Cos, 2, u => Fn(MathFunction.Cos, u)),
        new("tan", Math.Tan, 3, u => Fn(MathFunction.Tan, u), "u ≠ π/2 + kπ"),
        new("tanh", Math.Tanh, 3, u => Fn(MathFunction.Tanh, u)),
        new("sigmoid", u => MathFunctions.Apply(MathFunction.Sigmoid, u), 3, u => Fn(MathFunction.Sigmoid, u)),
        new("abs", Math.Abs, 3, u => Fn(MathFunction.Abs, u)),
        new("sgn", u => MathFunctions.Apply(MathFunction.Sign, u), 3, u => Fn(MathFunction.Sign, u)),
        new("arcsin", Math.Asin, 4, u => Fn(MathFunction.Arcsin, u), "−1 ≤ u ≤ 1"),
        new("arccos", Math.Acos, 4, u => Fn(MathFunction.Arccos, u), "−1 ≤ u ≤ 1"),
        new("arctan", Math.Atan, 4, u => Fn(MathFunction.Arctan, u)),
        new("arctanh", Math.Atanh, 4, u => Fn(MathFunction.Arctanh, u), "−1 < u < 1"),
        new("gaussian", u => Math.Exp(-u * u), 3, u => Fn(MathFunction.Exp, -P(u, 2))),
        new("cosh", Math.Cosh, 3, u => Fn(MathFunction.Cosh, u)),
        new("sinh", Math.Sinh, 3, u => Fn(MathFunction.Sinh, u)),
        new("softplus", u => MathFunctions.Apply(MathFunction.Softplus, u), 3, u => Fn(MathFunction.Softplus, u)),
        new("relu", u => u > 0 ? u : 0, 3, u => Fn(MathFunction.Relu, u)),
        // erfc = 1 − erf is the same family under c·f + d, so only erf is a candidate.
        new("erf", u => MathFunctions.Apply(MathFunction.Erf, u), 3, u => Fn(MathFunction.Erf, u)),
        new("sinc", SpecialFunctions.Sinc, 3, u => Fn(MathFunction.Sinc, u)),
        new("j0", SpecialFunctions.BesselJ0, 4, u => Fn(MathFunction.BesselJ0, u)),
        new("j1", SpecialFunctions.BesselJ1, 4, u => Fn(MathFunction.BesselJ1, u)),
        new("gamma", SpecialFunctions.Gamma, 4, u => Fn(MathFunction.Gamma, u), "u ∉ {0, −1, −2, …}"),
        new("lgamma", SpecialFunctions.LogGamma, 4, u => Fn(MathFunction.Lgamma, u), "u ∉ {0, −1, −2, …}"),
        new("0", _ => 0, 0, _ => Expr.C(0)),
    ];

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such entry; the message lists the names.</exception>
    public static SymbolicFunction Get(string name) => All.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"no symbolic function '{name}'; known: {string.Join(", ", All.Select(f => f.Name))}.", nameof(name));
}
