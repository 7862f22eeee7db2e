namespace Nonlinear.Symbolic;

/// <summary>Binary operators of an <see cref="Expr"/>.</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Sub,
    /// <summary>a · b.</summary>
    Mul,
    /// <summary>a / b (IEEE: ±∞ or NaN for b = 0).</summary>
    Div,
    /// <summary>a ^ b (Math.Pow).</summary>
    Pow,
}

/// <summary>
/// An immutable expression tree over double-valued variables: constants, variables (by index), unary functions,
/// negation and binary operators. Made by <see cref="ExprParser"/> or by symbolic regression of a KAN; evaluated in
/// double; printed by <see cref="ExprFormat"/> and tidied by <see cref="ExprSimplifier"/>.
/// </summary>
public abstract record Expr
{
    /// <summary>The value at the point <paramref name="vars"/> (indexed as the variables' <see cref="Var.Index"/>).</summary>
    public abstract double Evaluate(ReadOnlySpan<double> vars);

    /// <summary>A constant.</summary>
    public static Expr C(double value) => new Const(value);

    /// <summary>f(arg).</summary>
    public static Expr F(MathFunction f, Expr arg) => new Call(f, arg);

    /// <summary>a + b.</summary>
    public static Expr operator +(Expr a, Expr b) => new Binary(BinaryOp.Add, a, b);
    /// <summary>a − b.</summary>
    public static Expr operator -(Expr a, Expr b) => new Binary(BinaryOp.Sub, a, b);
    /// <summary>a · b.</summary>
    public static Expr operator *(Expr a, Expr b) => new Binary(BinaryOp.Mul, a, b);
    /// <summary>a / b.</summary>
    public static Expr operator /(Expr a, Expr b) => new Binary(BinaryOp.Div, a, b);
    /// <summary>−a.</summary>
    public static Expr operator -(Expr a) => new Neg(a);

    /// <summary>aᵇ.</summary>
    public static Expr Pow(Expr a, Expr b) => new Binary(BinaryOp.Pow, a, b);

    /// <summary>The largest variable index used plus one (0 for a constant expression).</summary>
    public abstract int VariableCount { get; }

    /// <summary>The expression as plain text, e.g. <c>exp(sin(3.1416*x) + y^2)</c>.</summary>
    public override string ToString() => ExprFormat.Text(this);
}

/// <summary>A constant.</summary>
/// <param name="Value">Its value.</param>
public sealed record Const(double Value) : Expr
{
    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> vars) => Value;
    /// <inheritdoc/>
    public override int VariableCount => 0;
    /// <inheritdoc/>
    public override string ToString() => ExprFormat.Text(this);
}

/// <summary>Variable number <paramref name="Index"/>, printed as <paramref name="Name"/>.</summary>
/// <param name="Index">Position in the evaluation point.</param>
/// <param name="Name">Display name (x, y, x_1, …).</param>
public sealed record Var(int Index, string Name) : Expr
{
    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> vars) => vars[Index];
    /// <inheritdoc/>
    public override int VariableCount => Index + 1;
    /// <inheritdoc/>
    public override string ToString() => ExprFormat.Text(this);
}

/// <summary>−Arg.</summary>
/// <param name="Arg">The operand.</param>
public sealed record Neg(Expr Arg) : Expr
{
    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> vars) => -Arg.Evaluate(vars);
    /// <inheritdoc/>
    public override int VariableCount => Arg.VariableCount;
    /// <inheritdoc/>
    public override string ToString() => ExprFormat.Text(this);
}

/// <summary>Function(Arg).</summary>
/// <param name="Function">The function.</param>
/// <param name="Arg">Its argument.</param>
public sealed record Call(MathFunction Function, Expr Arg) : Expr
{
    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> vars) => MathFunctions.Apply(Function, Arg.Evaluate(vars));
    /// <inheritdoc/>
    public override int VariableCount => Arg.VariableCount;
    /// <inheritdoc/>
    public override string ToString() => ExprFormat.Text(this);
}

/// <summary>Left Op Right.</summary>
/// <param name="Op">The operator.</param>
/// <param name="Left">Left operand.</param>
/// <param name="Right">Right operand.</param>
public sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr
{
    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> vars)
    {
        double a = Left.Evaluate(vars), b = Right.Evaluate(vars);
        return Op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.Div => a / b,
            _ => Math.Pow(a, b),
        };
    }

    /// <inheritdoc/>
    public override int VariableCount => Math.Max(Left.VariableCount, Right.VariableCount);
    /// <inheritdoc/>
    public override string ToString() => ExprFormat.Text(this);
}
