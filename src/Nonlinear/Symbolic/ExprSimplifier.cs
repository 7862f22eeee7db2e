namespace Nonlinear.Symbolic;

/// <summary>
/// Light algebraic tidying (no computer algebra): folds constant sub-trees, removes neutral elements
/// (x+0, x·1, x/1, x^1, −−x), turns x·0 into 0, collects sums (Σ kᵢ·termᵢ + c, constant factors distributed, equal
/// terms merged), expands polynomial parts where that is no larger (see <see cref="ExprPolynomial"/>), rewrites a + (−b) as a − b, and optionally rounds every constant to
/// a number of significant digits and treats constants with |c| below a threshold as 0 (so negligible terms vanish).
/// </summary>
public static class ExprSimplifier
{
    /// <summary>Simplifies <paramref name="e"/>; with <paramref name="digits"/> &gt; 0 constants are rounded to that many
    /// significant digits, and with <paramref name="zeroBelow"/> &gt; 0 smaller constants become 0.</summary>
    public static Expr Simplify(Expr e, int digits = 0, double zeroBelow = 0)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Collect sums first (constants merged exactly), then round; the second pass folds what rounding exposed.
        var linear = ExprLinear.Normalize(Pass(e, 0, 0), zeroBelow);
        // Polynomial parts are expanded where that is no larger: a KAN's ((x+y)² − (x−y)²)/4 must read x·y.
        linear = ExprLinear.Normalize(ExprPolynomial.ExpandWhereSimpler(linear, zeroBelow), zeroBelow);
        // Rounding and the symmetry rules can expose new signs and equal terms: collect once more, then round again.
        var rounded = ExprLinear.Normalize(Pass(linear, digits, zeroBelow), zeroBelow);
        return Pass(Pass(rounded, digits, zeroBelow), digits, zeroBelow);
    }

    /// <summary>Rounds <paramref name="v"/> to <paramref name="digits"/> significant digits (digits ≤ 0: unchanged).</summary>
    public static double RoundSignificant(double v, int digits)
    {
        if (digits <= 0 || v == 0 || !double.IsFinite(v)) return v;
        double scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(v))));
        double r = Math.Round(v * scale) / scale;
        return double.IsFinite(r) ? r : v;
    }

    private static Expr Pass(Expr e, int digits, double zeroBelow)
    {
        switch (e)
        {
            case Const c:
                double v = Math.Abs(c.Value) < zeroBelow ? 0 : RoundSignificant(c.Value, digits);
                return new Const(v == 0 ? 0 : v);
            case Var: return e;
            case Neg n:
                {
                    var a = Pass(n.Arg, digits, zeroBelow);
                    return a switch { Const k => new Const(k.Value == 0 ? 0 : -k.Value), Neg m => m.Arg, _ => new Neg(a) };
                }
            case Call f:
                {
                    var a = Pass(f.Arg, digits, zeroBelow);
                    if (a is Const k)
                    {
                        double r = MathFunctions.Apply(f.Function, k.Value);
                        if (double.IsFinite(r)) return new Const(RoundSignificant(r, digits));
                    }
                    return Symmetries(f.Function, a, digits, zeroBelow);
                }
            case Binary b: return SimplifyBinary(b.Op, Pass(b.Left, digits, zeroBelow), Pass(b.Right, digits, zeroBelow), digits);
            default: throw new ArgumentException($"unknown expression node {e.GetType().Name}.", nameof(e));
        }
    }

    // Odd functions: f(−u) = −f(u); even ones: f(−u) = f(u); with rounding on, sin and cos drop a phase that is a
    // multiple of π to within the rounding (sin(u + kπ) = (−1)^k·sin(u)).
    private static Expr Symmetries(MathFunction f, Expr a, int digits, double zeroBelow)
    {
        bool odd = f is MathFunction.Sin or MathFunction.Tan or MathFunction.Sinh or MathFunction.Tanh or MathFunction.Arcsin
            or MathFunction.Arctan or MathFunction.Arctanh or MathFunction.Sign or MathFunction.Erf or MathFunction.BesselJ1;
        bool even = f is MathFunction.Cos or MathFunction.Cosh or MathFunction.Abs or MathFunction.Gaussian or MathFunction.BesselJ0 or MathFunction.Sinc;
        int sign = 1;
        if ((odd || even) && ExprLinear.LeadingNegative(a))
        {
            a = Pass(ExprLinear.Normalize(new Neg(a), 0), digits, zeroBelow);
            if (odd) sign = -1;
        }
        if (digits > 0 && f is MathFunction.Sin or MathFunction.Cos && ExprLinear.SplitConstant(a) is ({ } rest, double c))
        {
            double turns = Math.Round(c / Math.PI);
            if (turns != 0 && Math.Abs(c - turns * Math.PI) <= 2 * Math.Pow(10, -digits) * Math.Max(1, Math.Abs(c)))
            {
                a = rest;
                if (Math.Abs(turns) % 2 == 1) sign = -sign;
                if (ExprLinear.LeadingNegative(a))
                {
                    a = Pass(ExprLinear.Normalize(new Neg(a), 0), digits, zeroBelow);
                    if (f == MathFunction.Sin) sign = -sign;
                }
            }
        }
        Expr call = new Call(f, a);
        return sign < 0 ? new Neg(call) : call;
    }

    private static bool Is(Expr e, double v) => e is Const c && c.Value == v;

    private static Expr SimplifyBinary(BinaryOp op, Expr a, Expr b, int digits)
    {
        if (a is Const ca && b is Const cb)
        {
            double r = new Binary(op, ca, cb).Evaluate([]);
            if (double.IsFinite(r)) return new Const(RoundSignificant(r, digits));
        }
        switch (op)
        {
            case BinaryOp.Add:
                if (Is(a, 0)) return b;
                if (Is(b, 0)) return a;
                if (b is Neg nb) return SimplifyBinary(BinaryOp.Sub, a, nb.Arg, digits);
                if (b is Const { Value: < 0 } kb) return new Binary(BinaryOp.Sub, a, new Const(-kb.Value));
                if (a is Neg na) return SimplifyBinary(BinaryOp.Sub, b, na.Arg, digits);
                break;
            case BinaryOp.Sub:
                if (Is(b, 0)) return a;
                if (Is(a, 0)) return b is Neg n ? n.Arg : new Neg(b);
                if (b is Neg nb2) return SimplifyBinary(BinaryOp.Add, a, nb2.Arg, digits);
                if (b is Const { Value: < 0 } kb2) return new Binary(BinaryOp.Add, a, new Const(-kb2.Value));
                break;
            case BinaryOp.Mul:
                if (Is(a, 0) || Is(b, 0)) return new Const(0);
                if (Is(a, 1)) return b;
                if (Is(b, 1)) return a;
                if (Is(a, -1)) return new Neg(b);
                if (Is(b, -1)) return new Neg(a);
                if (b is Const && a is not Const) return SimplifyBinary(BinaryOp.Mul, b, a, digits); // constants lead: 2*x
                if (a is Const { Value: < 0 } ka) return new Neg(SimplifyBinary(BinaryOp.Mul, new Const(-ka.Value), b, digits));
                if (a is Const k1 && b is Binary { Op: BinaryOp.Mul, Left: Const k2 } inner)
                    return SimplifyBinary(BinaryOp.Mul, new Const(RoundSignificant(k1.Value * k2.Value, digits)), inner.Right, digits);
                break;
            case BinaryOp.Div:
                if (Is(b, 1)) return a;
                if (Is(a, 0) && b is Const { Value: not 0 }) return new Const(0);
                break;
            case BinaryOp.Pow:
                if (Is(b, 1)) return a;
                if (Is(b, 0)) return new Const(1);
                if (b is Const { Value: var power } && power == Math.Round(power) && Math.Abs(power) <= 64)
                {
                    // (−u)ⁿ = ±uⁿ; (k·u)ⁿ = kⁿ·uⁿ for integer n: (−(8.47·y))² reads 71.74·y².
                    if (a is Neg negBase) return power % 2 == 0 ? SimplifyBinary(op, negBase.Arg, b, digits) : new Neg(SimplifyBinary(op, negBase.Arg, b, digits));
                    if (a is Binary { Op: BinaryOp.Mul, Left: Const k } ma && double.IsFinite(Math.Pow(k.Value, power)))
                        return SimplifyBinary(BinaryOp.Mul, new Const(RoundSignificant(Math.Pow(k.Value, power), digits)), SimplifyBinary(op, ma.Right, b, digits), digits);
                }
                break;
        }
        return new Binary(op, a, b);
    }
}
