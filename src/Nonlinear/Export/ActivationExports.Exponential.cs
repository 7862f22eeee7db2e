namespace Nonlinear.Export;

// ELU-like, exponential and softplus-like entries. exp is only taken of clamped arguments on the branch that needs it,
// so the branch not taken cannot produce ∞·0 = NaN under Where.
internal static partial class ActivationExports
{
    private static void AddExponential(Dictionary<string, ActivationExport> d)
    {
        d["elu"] = (x, p) => x.Builder.Node("Elu", x, ("alpha", F(p[0])));
        d["selu"] = (x, _) => x.Builder.Node("Selu", [x]);
        d["celu"] = (x, p) => x.Builder.Node("Celu", x, ("alpha", F(p[0])));
        d["pelu"] = (x, p) => If(x.Gt(0), x * (p[0] / p[1]), Expm1(x.Min(0) / p[1]) * p[0]);
        d["mpelu"] = (x, p) => If(x.Gt(0), x, Expm1((x * p[1]).Min(0)) * p[0]);
        d["ptelu"] = (x, p) => If(x.Gt(0), x, (x * p[1]).Tanh() * p[0]);
        const float lambda = 1.07862f, alpha = 2.90427f; // Serlu's float constants
        d["serlu"] = (x, _) => If(x.Ge(0), x * lambda, x * (lambda * alpha) * x.Min(0).Exp());
        d["reu"] = (x, _) => If(x.Gt(0), x, x * x.Min(0).Exp());
        d["preu"] = (x, p) => If(x.Gt(0), x, x * p[0] * (x * p[1]).Min(0).Exp());
        d["exponential"] = (x, _) => x.Exp();
        d["soft_exponential"] = (x, p) => p[0] > 0 ? Expm1Any(x * p[0]) / p[0] + p[0] : x.Builder.Node("Identity", [x]);
        d["shifted_softplus"] = (x, _) => Softplus(x) - Math.Log(2);
        d["slu"] = (x, _) => If(x.Ge(0), x, Softplus(x.Min(0)) * 2.0 - 2 * Math.Log(2));
        // clamp(x, 0, 1) + (L(αx) − L(α(x − 1)))/α with L(u) = ln(1 + e^−|u|), as the kernel: the big terms cancel exactly.
        d["soft_clipping"] = (x, p) =>
            Clip(x, 0, 1) + (Log1p((x * p[0]).Abs().Neg().Exp()) - Log1p(((x - 1.0) * p[0]).Abs().Neg().Exp())) / p[0];
        // ln cosh x = |x| + ln(1 + e^(−2|x|)) − ln 2, finite for every x.
        d["log_cosh"] = (x, _) => x.Abs() + Log1p((x.Abs() * -2.0).Exp()) - Math.Log(2);
    }

    /// <summary>eˣ − 1 for any x: <see cref="Expm1"/> with +∞ where eˣ overflows.</summary>
    private static OnnxValue Expm1Any(OnnxValue x)
    {
        var u = x.Exp();
        return OnnxValue.Where(u.Eq(double.PositiveInfinity), u, Expm1(x));
    }
}
