namespace Nonlinear.Symbolic;

/// <summary>
/// Collects sums: a tree of +, −, unary minus and multiplications/divisions by constants becomes Σ kᵢ·termᵢ + c with
/// equal terms merged and the constant last, so 0.5·(2·sin(x) + 4) + 1 reads 1·sin(x) + 3 → sin(x) + 3. Applied
/// inside every function argument and power too. Terms with |k| &lt; zeroBelow vanish.
/// </summary>
internal static class ExprLinear
{
    internal static Expr Normalize(Expr e, double zeroBelow)
    {
        var (terms, constant) = Terms(e, zeroBelow);
        return Build(terms, constant, zeroBelow);
    }

    /// <summary>The non-constant part of e's linear form and its constant, e.g. (3·x − 0.5) → (3·x, −0.5).</summary>
    internal static (Expr? Remainder, double Constant) SplitConstant(Expr e)
    {
        var (terms, constant) = Terms(e, 0);
        return (terms.Count == 0 ? null : Build(terms, 0, 0), constant);
    }

    /// <summary>True when the first term of e's linear form has a negative coefficient (so −e reads better).</summary>
    internal static bool LeadingNegative(Expr e)
    {
        var (terms, constant) = Terms(e, 0);
        return terms.Count > 0 ? terms[0].K < 0 : constant < 0;
    }

    private static (List<(string Key, Expr Term, double K)>, double) Terms(Expr e, double zeroBelow)
    {
        var terms = new List<(string Key, Expr Term, double K)>();
        double constant = 0;
        Collect(e, 1, terms, ref constant, zeroBelow);
        terms.RemoveAll(t => t.K == 0);
        return (terms, constant);
    }

    private static Expr Build(List<(string Key, Expr Term, double K)> terms, double constant, double zeroBelow)
    {
        Expr? sum = null;
        foreach (var (_, term, k) in terms)
        {
            if (k == 0 || Math.Abs(k) < zeroBelow) continue;
            Expr t = k == 1 ? term : k == -1 ? new Neg(term) : new Binary(BinaryOp.Mul, new Const(k), term);
            sum = sum is null ? t : new Binary(BinaryOp.Add, sum, t);
        }
        if (sum is null) return new Const(Math.Abs(constant) < zeroBelow ? 0 : constant);
        return constant == 0 || Math.Abs(constant) < zeroBelow ? sum : new Binary(BinaryOp.Add, sum, new Const(constant));
    }

    private static void Collect(Expr e, double k, List<(string, Expr, double)> terms, ref double constant, double zeroBelow)
    {
        switch (e)
        {
            case Const c: constant += k * c.Value; return;
            case Neg n: Collect(n.Arg, -k, terms, ref constant, zeroBelow); return;
            case Binary { Op: BinaryOp.Add } b: Collect(b.Left, k, terms, ref constant, zeroBelow); Collect(b.Right, k, terms, ref constant, zeroBelow); return;
            case Binary { Op: BinaryOp.Sub } b: Collect(b.Left, k, terms, ref constant, zeroBelow); Collect(b.Right, -k, terms, ref constant, zeroBelow); return;
            case Binary { Op: BinaryOp.Mul, Left: Const c } b: Collect(b.Right, k * c.Value, terms, ref constant, zeroBelow); return;
            case Binary { Op: BinaryOp.Mul, Right: Const c } b: Collect(b.Left, k * c.Value, terms, ref constant, zeroBelow); return;
            case Binary { Op: BinaryOp.Div, Right: Const c } b when c.Value != 0: Collect(b.Left, k / c.Value, terms, ref constant, zeroBelow); return;
        }
        var inner = e switch
        {
            Call f => new Call(f.Function, Normalize(f.Arg, zeroBelow)),
            Binary b => new Binary(b.Op, Normalize(b.Left, zeroBelow), Normalize(b.Right, zeroBelow)),
            _ => e,
        };
        // k·exp(u + c) = (k·e^c)·exp(u): the constant leaves the exponent, so exp terms that differ only by it merge.
        if (inner is Call { Function: MathFunction.Exp } ex && SplitConstant(ex.Arg) is ({ } rest, double shift) && shift != 0 && double.IsFinite(Math.Exp(shift)))
        {
            k *= Math.Exp(shift);
            inner = new Call(MathFunction.Exp, rest);
        }
        string key = ExprFormat.Text(inner, 17);
        int at = terms.FindIndex(t => t.Item1 == key);
        if (at >= 0) terms[at] = (key, inner, terms[at].Item3 + k);
        else terms.Add((key, inner, k));
    }
}
