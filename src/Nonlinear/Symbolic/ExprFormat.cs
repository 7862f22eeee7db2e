using System.Globalization;
using System.Text;

namespace Nonlinear.Symbolic;

/// <summary>
/// Prints an <see cref="Expr"/> as plain text that <see cref="ExprParser"/> reads back (<c>2*sin(3*x + 1) - 0.5</c>)
/// or as LaTeX (<c>2 \sin\left(3 x + 1\right) - 0.5</c>), with the fewest parentheses the precedence rules allow.
/// </summary>
public static class ExprFormat
{
    // Binding strength: sums 1, products 2, negation 3, powers 4, atoms 5.
    private static int Level(Expr e) => e switch
    {
        Binary { Op: BinaryOp.Add or BinaryOp.Sub } => 1,
        Binary { Op: BinaryOp.Mul or BinaryOp.Div } => 2,
        Neg => 3,
        Const c when c.Value < 0 || double.IsNegativeInfinity(c.Value) => 3,
        Binary { Op: BinaryOp.Pow } => 4,
        _ => 5,
    };

    /// <summary>Formats a number with at most <paramref name="digits"/> significant digits, integers without a point.</summary>
    public static string Number(double v, int digits = 6)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.Round(v) && Math.Abs(v) < 1e15) return ((long)v).ToString(CultureInfo.InvariantCulture);
        return v.ToString("G" + digits, CultureInfo.InvariantCulture);
    }

    /// <summary>Plain text with constants shown to <paramref name="digits"/> significant digits.</summary>
    public static string Text(Expr e, int digits = 6)
    {
        var sb = new StringBuilder();
        WriteText(sb, e, digits);
        return sb.ToString();
    }

    private static void WriteText(StringBuilder sb, Expr e, int digits)
    {
        switch (e)
        {
            case Const c: sb.Append(Number(c.Value, digits)); break;
            case Var v: sb.Append(v.Name); break;
            case Neg n: sb.Append('-'); Child(sb, n.Arg, Level(n.Arg) <= 3, digits); break;
            case Call f: sb.Append(MathFunctions.Name(f.Function)).Append('('); WriteText(sb, f.Arg, digits); sb.Append(')'); break;
            case Binary b:
                int lv = Level(b);
                bool pow = b.Op == BinaryOp.Pow;
                Child(sb, b.Left, pow ? Level(b.Left) <= 4 : Level(b.Left) < lv, digits);
                sb.Append(b.Op switch { BinaryOp.Add => " + ", BinaryOp.Sub => " - ", BinaryOp.Mul => "*", BinaryOp.Div => "/", _ => "^" });
                // Right operands of − and / bind tighter than their level; a power's exponent is right-associative.
                bool paren = b.Op switch
                {
                    BinaryOp.Add => Level(b.Right) < 1,
                    BinaryOp.Mul => Level(b.Right) < 2 || Level(b.Right) == 3,
                    BinaryOp.Sub or BinaryOp.Div => Level(b.Right) <= lv || Level(b.Right) == 3,
                    _ => Level(b.Right) < 4,
                };
                Child(sb, b.Right, paren, digits);
                break;
            default: throw new ArgumentException($"unknown expression node {e.GetType().Name}.", nameof(e));
        }
    }

    private static void Child(StringBuilder sb, Expr e, bool paren, int digits)
    {
        if (paren) sb.Append('(');
        WriteText(sb, e, digits);
        if (paren) sb.Append(')');
    }

    /// <summary>LaTeX math (no surrounding $), constants to <paramref name="digits"/> significant digits.</summary>
    public static string Latex(Expr e, int digits = 4)
    {
        var sb = new StringBuilder();
        WriteLatex(sb, e, digits);
        return sb.ToString();
    }

    private static void WriteLatex(StringBuilder sb, Expr e, int digits)
    {
        switch (e)
        {
            case Const c: sb.Append(Number(c.Value, digits).Replace("E", "\\times 10^{", StringComparison.Ordinal) + (Number(c.Value, digits).Contains('E') ? "}" : "")); break;
            case Var v: sb.Append(LatexName(v.Name)); break;
            case Neg n: sb.Append('-'); LatexChild(sb, n.Arg, Level(n.Arg) <= 3, digits); break;
            case Call { Function: MathFunction.Sqrt } f: sb.Append("\\sqrt{"); WriteLatex(sb, f.Arg, digits); sb.Append('}'); break;
            case Call { Function: MathFunction.Abs } f: sb.Append("\\left|"); WriteLatex(sb, f.Arg, digits); sb.Append("\\right|"); break;
            case Call f: sb.Append(MathFunctions.Latex(f.Function)).Append("\\left("); WriteLatex(sb, f.Arg, digits); sb.Append("\\right)"); break;
            case Binary { Op: BinaryOp.Div } b:
                sb.Append("\\frac{"); WriteLatex(sb, b.Left, digits); sb.Append("}{"); WriteLatex(sb, b.Right, digits); sb.Append('}');
                break;
            case Binary { Op: BinaryOp.Pow } b:
                sb.Append('{'); LatexChild(sb, b.Left, Level(b.Left) <= 4, digits); sb.Append("}^{"); WriteLatex(sb, b.Right, digits); sb.Append('}');
                break;
            case Binary b:
                int lv = Level(b);
                LatexChild(sb, b.Left, Level(b.Left) < lv, digits);
                if (b.Op == BinaryOp.Mul)
                {
                    // Juxtapose "2 x", but keep a \cdot before a number so 2·3 does not read as 23.
                    sb.Append(b.Right is Const ? " \\cdot " : " ");
                    LatexChild(sb, b.Right, Level(b.Right) < 2 || Level(b.Right) == 3, digits);
                }
                else
                {
                    sb.Append(b.Op == BinaryOp.Add ? " + " : " - ");
                    LatexChild(sb, b.Right, b.Op == BinaryOp.Sub ? Level(b.Right) <= 1 || Level(b.Right) == 3 : false, digits);
                }
                break;
            default: throw new ArgumentException($"unknown expression node {e.GetType().Name}.", nameof(e));
        }
    }

    private static void LatexChild(StringBuilder sb, Expr e, bool paren, int digits)
    {
        if (paren) sb.Append("\\left(");
        WriteLatex(sb, e, digits);
        if (paren) sb.Append("\\right)");
    }

    // x1 → x_{1}; Greek-free names pass through.
    private static string LatexName(string name)
    {
        int i = name.Length;
        while (i > 0 && char.IsDigit(name[i - 1])) i--;
        return i > 0 && i < name.Length ? name[..i] + "_{" + name[i..] + "}" : name;
    }
}
