namespace Nonlinear.Tests.Activations;

/// <summary>Accuracy promises of the sigmoidal, self-gated, exponential, periodic and radial entries (null: the defaults in <see cref="ActivationTolerances"/>).</summary>
public static partial class FamilyTolerances
{
    /// <summary>Forward (Ulps, XUlps) for entries that need other than the default; say why next to each.</summary>
    public static (double Ulps, double XUlps)? SmoothForward(string name) => name switch
    {
        // Φ through VMath.NormalCdf: its 6 ulp in the far left tail, plus (xgelu) the product and the fma of the gate.
        "probit" or "xgelu" => (7, 0),
        // Φ((x − μ)/σ): u = (x − μ)/σ carries up to 1.5 ulp (relative to u) and Φ amplifies that by |u|φ(u)/Φ(u), which is
        // 7 at x = 0 (u = −2.5) where κ(x) = 0 cannot pay for it; plus NormalCdf's 6 ulp. (Further left ArgUlps covers it.)
        "laplace" => (18, 0),
        // 2α + (1 − α)·erfc(−z): VMath.Erfc's 6 ulp, plus z = μ(1 − α)x rounded (erfc's condition |z|·e^(−z²)·… ≤ 2.4 where it matters).
        "smu" => (8, 0),
        // exp(−u) with u = e^∓x rounded (1 ulp): u ulps, u ≤ e for |x| ≤ 1 (beyond, ArgUlps·κ pays: κ = |x|·u).
        "golu" or "loglog" => (5, 0),
        // Compound rational forms of σ (2.5 ulp) or exp/log (1–2 ulp each) with 2–3 further roundings; measured ≤ 4.9.
        "smish" or "dsu" or "apa_fixed" or "aglu" => (6, 0),
        // Two rational terms of e^(−|x/β|) and a product: measured 7.0 (the forms are exact, the roundings add).
        "soft_root_sign" => (8, 0),
        // x·num/den with e^(−|z|), z = x + β: the rational tanh(softplus) form's 3 roundings, the exponential and the product.
        "mila" => (6, 0),
        // σ(x)·(1 + x·σ(−x)): the bracket cancels near dsilu's zero x ≈ −1.28 (absolute error ≈ ulp(1), counted in ulp(x)).
        "dsilu" => (6, 3),
        // x·σ(x) + T cancels near x ≈ 0.35 where x·σ(x) = −T: absolute error ≈ ulp(T), counted in ulp(x).
        "flatten_t_swish" => (4, 2),
        // expm1(αx)/α + α cancels at its zero x = ln(1 − α²)/α ≈ −0.58: absolute error ≈ ulp(α), counted in ulp(x).
        "soft_exponential" => (4, 2),
        _ => null,
    };

    /// <summary>Backward (Ulps, Abs) for entries that need other than the default; say why next to each.</summary>
    public static (double Ulps, double Abs)? SmoothBackward(string name) => name switch
    {
        // Non-monotonic: f′ crosses zero where its terms (of order 0.1–1) cancel, so only absolute accuracy holds there
        // (as the core's gated entries). Oscillating ones cross zero infinitely often.
        "golu" or "elish" or "lisht" or "tanh_exp" or "serf" or "logish" or "smish" or "phish" or "smu" or "sinlu" or "acon_c"
            or "xsilu" or "xgelu" or "e_swish" or "aglu" or "erfact" or "pserf" or "loglogish" or "dsilu" or "soft_root_sign"
            or "gcu" or "snake_fixed" or "sinc" or "ssu" or "dsu" or "spder" or "cauchy" or "mexican_hat" or "morlet"
            or "sine" or "cosine" or "expsin" or "x_plus_sin" or "quick_gelu" or "mila" => (8, 2),
        // f′'s two terms reach ω = 20 and 2s²|x| ≈ 20 in size near the centre and cancel at its zeros: 2⁻²⁴·(ω + 2s²|x|) absolute.
        "gabor" => (8, 32),
        // exp(−u) with a rounded u = e^±x: u ulps relative, only where f′ ≤ u·e^(−u)·… is already below 2⁻²⁴.
        "cloglog" or "loglog" or "laplace" => (6, 1),
        // The rounded argument of a saturating exponential/sech² (αx, bx) is amplified by its size in the tails, where f′ is tiny;
        // and below 2⁻¹²⁶ the exponential is subnormal before the polynomial prefactor multiplies it.
        "soft_clipping" or "scaled_tanh" or "reu" or "preu" or "serlu" or "gaussian" or "apa_fixed" => (6, 1),
        // f′ = O(|x|⁻³) for x ≪ 0 is the difference of two O(1/|x|) terms (see Atlu's notes): absolute accuracy there.
        "atlu" or "xatlu" => (6, 1),
        _ => null,
    };

    /// <summary>Relative rounding of an exponential's argument, in ulps (see <see cref="ActivationTolerances.ArgUlps"/>).</summary>
    public static double? SmoothArgUlps(string name) => name switch
    {
        // exp(−u), u = e^∓x: the 1-ulp rounding of u becomes u ulps; κ = |x|·u for |x| ≥ 1.
        "golu" or "loglog" => 1,
        // The computed argument (1.702x, αx, βx, κx, x + β, 5x, ωx, (x − μ)/σ) rounds once or twice before a function whose
        // relative condition in it is κ.
        "quick_gelu" or "soft_clipping" or "erfact" or "morlet" or "gabor" or "apa_fixed" or "aglu" or "mila" or "soft_root_sign" => 1,
        "laplace" => 2,
        // e^(−x²/2) (and Φ in phish): κ ≈ x² also bounds the loss when the exponential goes subnormal before the x or
        // (1 − x²) prefactor multiplies it.
        "mexican_hat" or "phish" => 1,
        _ => null,
    };

    /// <summary>
    /// Factor on the composition test's absolute tolerance, for entries whose composition from Ops cannot be more accurate:
    /// the composition rounds the argument of a fast oscillation (5x for morlet) before cos, an error of ω·2⁻²⁴ absolute
    /// in f′ that the fused kernel avoids (it carries 5x as hi + lo).
    /// </summary>
    public static double? SmoothCompositionScale(string name) => name switch
    {
        "morlet" => 5,
        _ => null,
    };

    /// <summary>
    /// Entries built on VMath.Sin/Cos whose value oscillates at large |x|: accurate for |x| ≤ 1e6 (VMath.Sin/Cos's range),
    /// and without a limit at ±∞ (see <see cref="ActivationTolerances.AccurateRange"/>).
    /// </summary>
    public static double? SmoothAccurateRange(string name) => name switch
    {
        "sine" or "cosine" or "snake_fixed" or "x_plus_sin" or "spder" or "sinc" or "ssu" or "dsu" or "expsin" or "gcu" or "sinlu" => 1e6,
        _ => null,
    };
}
