namespace Nonlinear.Symbolic;

/// <summary>
/// Expansion of polynomial sub-expressions into a sum of monomials with merged coefficients. A KAN represents x·y as
/// ((x + y)² − (x − y)²)/4 — linear edges into a layer of squares — and only after expansion do the x² and y² terms
/// cancel and x·y appear. A sub-tree is polynomial when it is built from constants, variables, +, −, ·, division by a
/// constant and non-negative integer powers; it is replaced by its expansion only when that is no larger (so
/// (x + 1)^3 is not blown up into four terms, but 0.25·(x + y)^2 − 0.25·(x − y)^2 becomes x·y).
/// </summary>
internal static class ExprPolynomial
{
    // Bounds keep a hostile or accidental formula ((x+y)^64) from building a huge expansion.
    private const int MaxDegree = 6;
    private const int MaxTerms = 64;

    /// <summary>Replaces every maximal polynomial sub-tree whose expansion has no more nodes than it.</summary>
    /// <param name="e">The expression.</param>
    /// <param name="zeroBelow">Monomials whose coefficient is below this in magnitude are dropped (0: none).</param>
    public static Expr ExpandWhereSimpler(Expr e, double zeroBelow)
    {
        if (e is Const or Var) return e;
        if (TryExpand(e) is { } poly)
        {
            var expanded = ToExpr(poly, zeroBelow);
            if (Nodes(expanded) <= Nodes(e)) return expanded;
        }
        return e switch
        {
            Neg n => new Neg(ExpandWhereSimpler(n.Arg, zeroBelow)),
            Call c => new Call(c.Function, ExpandWhereSimpler(c.Arg, zeroBelow)),
            Binary b => new Binary(b.Op, ExpandWhereSimpler(b.Left, zeroBelow), ExpandWhereSimpler(b.Right, zeroBelow)),
            _ => e,
        };
    }

    /// <summary>The expansion of <paramref name="e"/> as monomial → coefficient, or null when it is not a bounded polynomial.</summary>
    internal static Dictionary<Monomial, double>? TryExpand(Expr e)
    {
        switch (e)
        {
            case Const c: return double.IsFinite(c.Value) ? new() { [Monomial.One] = c.Value } : null;
            case Var v: return new() { [Monomial.Of(v)] = 1 };
            case Neg n: return TryExpand(n.Arg) is { } p ? Scale(p, -1) : null;
            case Binary b:
                {
                    var l = TryExpand(b.Left);
                    if (l is null) return null;
                    if (b.Op == BinaryOp.Pow)
                    {
                        if (b.Right is not Const { Value: var k } || k != Math.Round(k) || k < 0 || k > MaxDegree) return null;
                        var r = new Dictionary<Monomial, double> { [Monomial.One] = 1 };
                        for (int i = 0; i < (int)k && r is not null; i++) r = Multiply(r, l);
                        return r;
                    }
                    var right = TryExpand(b.Right);
                    if (right is null) return null;
                    return b.Op switch
                    {
                        BinaryOp.Add => Add(l, right, 1),
                        BinaryOp.Sub => Add(l, right, -1),
                        BinaryOp.Mul => Multiply(l, right),
                        // Only division by a non-zero constant keeps a polynomial.
                        BinaryOp.Div when right.Count == 1 && right.TryGetValue(Monomial.One, out double d) && d != 0 => Scale(l, 1 / d),
                        _ => null,
                    };
                }
            default: return null;
        }
    }

    private static Dictionary<Monomial, double> Scale(Dictionary<Monomial, double> p, double k) => p.ToDictionary(t => t.Key, t => t.Value * k);

    private static Dictionary<Monomial, double>? Add(Dictionary<Monomial, double> a, Dictionary<Monomial, double> b, double sign)
    {
        var r = new Dictionary<Monomial, double>(a);
        foreach (var (m, c) in b) r[m] = r.GetValueOrDefault(m) + sign * c;
        return r.Count <= MaxTerms ? r : null;
    }

    private static Dictionary<Monomial, double>? Multiply(Dictionary<Monomial, double> a, Dictionary<Monomial, double> b)
    {
        var r = new Dictionary<Monomial, double>();
        foreach (var (ma, ca) in a)
            foreach (var (mb, cb) in b)
            {
                var m = ma.Times(mb);
                if (m.Degree > MaxDegree) return null;
                r[m] = r.GetValueOrDefault(m) + ca * cb;
                if (r.Count > MaxTerms) return null;
            }
        return r;
    }

    // Highest degree first, then by variable order, constant last: 1.5*x^2 + x*y - 0.3*y + 2.
    private static Expr ToExpr(Dictionary<Monomial, double> poly, double zeroBelow)
    {
        Expr? sum = null;
        foreach (var (m, c) in poly.OrderByDescending(t => t.Key.Degree).ThenBy(t => t.Key.Key, StringComparer.Ordinal))
        {
            if (c == 0 || Math.Abs(c) < zeroBelow) continue;
            Expr? product = null;
            foreach (var (v, power) in m.Factors)
            {
                Expr f = power == 1 ? v : Expr.Pow(v, Expr.C(power));
                product = product is null ? f : product * f;
            }
            Expr term = product is null ? Expr.C(Math.Abs(c)) : Math.Abs(c) == 1 ? product : Expr.C(Math.Abs(c)) * product;
            sum = sum is null ? (c < 0 ? -term : term) : c < 0 ? sum - term : sum + term;
        }
        return sum ?? Expr.C(0);
    }

    private static int Nodes(Expr e) => e switch
    {
        Neg n => 1 + Nodes(n.Arg),
        Call c => 1 + Nodes(c.Arg),
        Binary b => 1 + Nodes(b.Left) + Nodes(b.Right),
        _ => 1,
    };

    /// <summary>A product of variable powers; <see cref="Key"/> makes equal monomials equal.</summary>
    internal sealed record Monomial(IReadOnlyList<(Var Variable, int Power)> Factors, string Key)
    {
        public static readonly Monomial One = new([], "");

        public int Degree => Factors.Sum(f => f.Power);

        public static Monomial Of(Var v) => Make([(v, 1)]);

        public Monomial Times(Monomial other)
        {
            var powers = new SortedDictionary<int, (Var, int)>();
            foreach (var (v, p) in Factors.Concat(other.Factors))
                powers[v.Index] = (v, (powers.TryGetValue(v.Index, out var had) ? had.Item2 : 0) + p);
            return Make(powers.Values.ToList());
        }

        private static Monomial Make(List<(Var, int)> factors)
            => new(factors, string.Join("*", factors.Select(f => $"{f.Item1.Index:D4}^{f.Item2}")));

        public bool Equals(Monomial? other) => other is not null && Key == other.Key;

        public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
    }
}
