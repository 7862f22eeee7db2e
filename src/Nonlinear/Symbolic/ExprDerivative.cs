namespace Nonlinear.Symbolic;

/// <summary>
/// Symbolic differentiation of an <see cref="Expr"/> with respect to one variable (chain, product, quotient and power
/// rules, and each <see cref="MathFunction"/>'s derivative written as an expression). The result is unsimplified; pass
/// it through <see cref="ExprSimplifier.Simplify"/> to print it. Kinks follow the tensor library's conventions:
/// d|u| = sgn u, d sgn u = 0, d relu u = (sgn u + 1)/2 (½ at 0).
/// </summary>
public static class ExprDerivative
{
    /// <summary>∂e/∂x_<paramref name="variable"/>.</summary>
    /// <exception cref="NotSupportedException">The derivative of trigamma (ψ″) is not in the language.</exception>
    public static Expr Differentiate(Expr e, int variable)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e)
        {
            case Const: return Expr.C(0);
            case Var v: return Expr.C(v.Index == variable ? 1 : 0);
            case Neg n: return -Differentiate(n.Arg, variable);
            case Call c:
                {
                    var du = Differentiate(c.Arg, variable);
                    if (du is Const { Value: 0 }) return Expr.C(0);
                    return Outer(c.Function, c.Arg) * du;
                }
            case Binary b:
                {
                    Expr u = b.Left, w = b.Right, du = Differentiate(u, variable), dw = Differentiate(w, variable);
                    return b.Op switch
                    {
                        BinaryOp.Add => du + dw,
                        BinaryOp.Sub => du - dw,
                        BinaryOp.Mul => du * w + u * dw,
                        BinaryOp.Div => (du * w - u * dw) / Expr.Pow(w, Expr.C(2)),
                        // Constant exponent: k·u^(k−1)·u′ (defined for negative u, unlike the general rule's ln u).
                        _ when w is Const k => Expr.C(k.Value) * Expr.Pow(u, Expr.C(k.Value - 1)) * du,
                        _ => e * (dw * Expr.F(MathFunction.Log, u) + w * du / u),
                    };
                }
            default: throw new ArgumentException($"unknown expression node {e.GetType().Name}.", nameof(e));
        }
    }

    /// <summary>f′(u) as an expression of u.</summary>
    private static Expr Outer(MathFunction f, Expr u)
    {
        Expr F(MathFunction g) => Expr.F(g, u);
        Expr one = Expr.C(1), two = Expr.C(2);
        return f switch
        {
            MathFunction.Sin => F(MathFunction.Cos),
            MathFunction.Cos => -F(MathFunction.Sin),
            MathFunction.Tan => one + Expr.Pow(F(MathFunction.Tan), two),
            MathFunction.Exp => F(MathFunction.Exp),
            MathFunction.Log => one / u,
            MathFunction.Sqrt => one / (two * F(MathFunction.Sqrt)),
            MathFunction.Abs => F(MathFunction.Sign),
            MathFunction.Tanh => one - Expr.Pow(F(MathFunction.Tanh), two),
            MathFunction.Sigmoid => F(MathFunction.Sigmoid) * (one - F(MathFunction.Sigmoid)),
            MathFunction.Sinh => F(MathFunction.Cosh),
            MathFunction.Cosh => F(MathFunction.Sinh),
            MathFunction.Arcsin => one / Expr.F(MathFunction.Sqrt, one - Expr.Pow(u, two)),
            MathFunction.Arccos => -(one / Expr.F(MathFunction.Sqrt, one - Expr.Pow(u, two))),
            MathFunction.Arctan => one / (one + Expr.Pow(u, two)),
            MathFunction.Arctanh => one / (one - Expr.Pow(u, two)),
            MathFunction.Sign => Expr.C(0),
            MathFunction.Softplus => F(MathFunction.Sigmoid),
            MathFunction.Relu => (F(MathFunction.Sign) + one) / two,
            MathFunction.Gaussian => Expr.C(-2) * u * F(MathFunction.Gaussian),
            // d erf = (2/√π)·e^(−u²)
            MathFunction.Erf => Expr.C(2 / Math.Sqrt(Math.PI)) * F(MathFunction.Gaussian),
            MathFunction.Erfc => Expr.C(-2 / Math.Sqrt(Math.PI)) * F(MathFunction.Gaussian),
            MathFunction.Gamma => F(MathFunction.Gamma) * F(MathFunction.Digamma),
            MathFunction.Lgamma => F(MathFunction.Digamma),
            MathFunction.Digamma => F(MathFunction.Trigamma),
            MathFunction.BesselJ0 => -F(MathFunction.BesselJ1),
            // J₁′ = J₀ − J₁/u (removable at 0, where J₁′(0) = ½; the expression is NaN exactly there).
            MathFunction.BesselJ1 => F(MathFunction.BesselJ0) - F(MathFunction.BesselJ1) / u,
            // sinc′ = (cos(πu) − sinc u)/u (removable at 0, where it is 0; the expression is NaN exactly there).
            MathFunction.Sinc => (Expr.F(MathFunction.Cos, Expr.C(Math.PI) * u) - F(MathFunction.Sinc)) / u,
            MathFunction.Trigamma => throw new NotSupportedException("the derivative of trigamma (ψ″, polygamma(2, u)) is not in the formula language."),
            _ => throw new ArgumentOutOfRangeException(nameof(f), f, "no derivative rule"),
        };
    }
}
