namespace Nonlinear.Symbolic;

/// <summary>The one-argument functions an <see cref="Expr"/> can apply.</summary>
public enum MathFunction
{
    /// <summary>sin x.</summary>
    Sin,
    /// <summary>cos x.</summary>
    Cos,
    /// <summary>tan x.</summary>
    Tan,
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>ln x (natural logarithm); NaN for x &lt; 0.</summary>
    Log,
    /// <summary>√x; NaN for x &lt; 0.</summary>
    Sqrt,
    /// <summary>|x|.</summary>
    Abs,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>σ(x) = 1/(1+e⁻ˣ), evaluated in its stable form.</summary>
    Sigmoid,
    /// <summary>sinh x.</summary>
    Sinh,
    /// <summary>cosh x.</summary>
    Cosh,
    /// <summary>arcsin x; NaN outside [−1, 1].</summary>
    Arcsin,
    /// <summary>arccos x; NaN outside [−1, 1].</summary>
    Arccos,
    /// <summary>arctan x.</summary>
    Arctan,
    /// <summary>artanh x; NaN outside (−1, 1).</summary>
    Arctanh,
    /// <summary>sgn x ∈ {−1, 0, 1}.</summary>
    Sign,
    /// <summary>softplus x = ln(1+eˣ), stable form.</summary>
    Softplus,
    /// <summary>relu x = max(0, x).</summary>
    Relu,
    /// <summary>gaussian x = exp(−x²).</summary>
    Gaussian,
    /// <summary>erf x = (2/√π)∫₀ˣ e^(−t²) dt.</summary>
    Erf,
    /// <summary>erfc x = 1 − erf x, accurate in the right tail.</summary>
    Erfc,
    /// <summary>Γ(x); NaN at the non-positive integers below 0, ±∞ at ±0.</summary>
    Gamma,
    /// <summary>ln|Γ(x)| (C's lgamma, torch.lgamma).</summary>
    Lgamma,
    /// <summary>ψ(x) = Γ′(x)/Γ(x) (torch.digamma); the derivative of lgamma.</summary>
    Digamma,
    /// <summary>ψ′(x) (torch.polygamma(1, x)); the derivative of digamma.</summary>
    Trigamma,
    /// <summary>Bessel function of the first kind J₀(x) (scipy.special.j0), written j0.</summary>
    BesselJ0,
    /// <summary>Bessel function of the first kind J₁(x) (scipy.special.j1), written j1.</summary>
    BesselJ1,
    /// <summary>Normalised sinc x = sin(πx)/(πx), sinc 0 = 1 (numpy.sinc, torch.sinc).</summary>
    Sinc,
}

/// <summary>Names and double-precision evaluation of <see cref="MathFunction"/>.</summary>
public static class MathFunctions
{
    /// <summary>The function's value at <paramref name="x"/> in double (NaN outside its domain).</summary>
    public static double Apply(MathFunction f, double x) => f switch
    {
        MathFunction.Sin => Math.Sin(x),
        MathFunction.Cos => Math.Cos(x),
        MathFunction.Tan => Math.Tan(x),
        MathFunction.Exp => Math.Exp(x),
        MathFunction.Log => Math.Log(x),
        MathFunction.Sqrt => Math.Sqrt(x),
        MathFunction.Abs => Math.Abs(x),
        MathFunction.Tanh => Math.Tanh(x),
        // Stable: never exp of a large positive number.
        MathFunction.Sigmoid => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)),
        MathFunction.Sinh => Math.Sinh(x),
        MathFunction.Cosh => Math.Cosh(x),
        MathFunction.Arcsin => Math.Asin(x),
        MathFunction.Arccos => Math.Acos(x),
        MathFunction.Arctan => Math.Atan(x),
        MathFunction.Arctanh => Math.Atanh(x),
        MathFunction.Sign => double.IsNaN(x) ? double.NaN : Math.Sign(x),
        MathFunction.Softplus => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))),
        MathFunction.Relu => x > 0 ? x : (double.IsNaN(x) ? x : 0),
        MathFunction.Gaussian => Math.Exp(-x * x),
        MathFunction.Erf => Kernels.DoubleMath.Erf(x),
        MathFunction.Erfc => Kernels.DoubleMath.Erfc(x),
        MathFunction.Gamma => SpecialFunctions.Gamma(x),
        MathFunction.Lgamma => SpecialFunctions.LogGamma(x),
        MathFunction.Digamma => SpecialFunctions.Digamma(x),
        MathFunction.Trigamma => SpecialFunctions.Trigamma(x),
        MathFunction.BesselJ0 => SpecialFunctions.BesselJ0(x),
        MathFunction.BesselJ1 => SpecialFunctions.BesselJ1(x),
        MathFunction.Sinc => SpecialFunctions.Sinc(x),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "unknown function"),
    };

    /// <summary>The name used in formulas ("sin", "arctanh", …); the parser accepts it and a few aliases.</summary>
    public static string Name(MathFunction f) => f switch
    {
        MathFunction.Sign => "sgn",
        MathFunction.BesselJ0 => "j0",
        MathFunction.BesselJ1 => "j1",
        _ => f.ToString().ToLowerInvariant(),
    };

    /// <summary>The LaTeX command or operator name ("\sin", "\operatorname{artanh}", …).</summary>
    public static string Latex(MathFunction f) => f switch
    {
        MathFunction.Sin or MathFunction.Cos or MathFunction.Tan or MathFunction.Exp or MathFunction.Sinh
            or MathFunction.Cosh or MathFunction.Tanh or MathFunction.Arcsin or MathFunction.Arccos or MathFunction.Arctan => "\\" + Name(f),
        MathFunction.Log => "\\ln",
        MathFunction.Gamma => "\\Gamma",
        MathFunction.Lgamma => "\\ln\\Gamma",
        MathFunction.Digamma => "\\psi",
        MathFunction.Trigamma => "\\psi'",
        MathFunction.BesselJ0 => "J_0",
        MathFunction.BesselJ1 => "J_1",
        _ => "\\operatorname{" + Name(f) + "}",
    };

    private static readonly Dictionary<string, MathFunction> ByName = BuildNames();

    private static Dictionary<string, MathFunction> BuildNames()
    {
        var d = Enum.GetValues<MathFunction>().ToDictionary(Name, f => f, StringComparer.Ordinal);
        d["ln"] = MathFunction.Log; d["asin"] = MathFunction.Arcsin; d["acos"] = MathFunction.Arccos;
        d["atan"] = MathFunction.Arctan; d["atanh"] = MathFunction.Arctanh; d["sign"] = MathFunction.Sign;
        d["arctanh"] = MathFunction.Arctanh;
        d["besselj0"] = MathFunction.BesselJ0; d["besselj1"] = MathFunction.BesselJ1; d["loggamma"] = MathFunction.Lgamma;
        d["psi"] = MathFunction.Digamma;
        return d;
    }

    /// <summary>Looks a function up by name or alias (case-sensitive, lower case).</summary>
    public static bool TryParse(string name, out MathFunction f) => ByName.TryGetValue(name, out f);

    /// <summary>Every accepted name, for error messages.</summary>
    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);
}
