using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Padé activation unit f(x) = P(x)/Q(x) with learnable numerator a_0..a_m ("numerator", shape [m+1], or [channels, m+1])
/// and denominator b_1..b_n ("denominator", shape [n] or [channels, n]); Q = 1 + Σ|b_k||x|^k (<see cref="RationalForm.Safe"/>,
/// the default, "safe PAU") or 1 + |Σ b_k x^k| (<see cref="RationalForm.AbsSum"/>). Gradients: see <see cref="RationalKernel"/>.
/// Default degrees (5, 4) as the paper. Start from a least-squares fit to a catalog activation with <see cref="FitTo"/>.
/// Molina, Schramowski and Kersting, "Padé Activation Units", ICLR 2020; Delfosse et al., "Adaptive Rational Activations
/// to Boost Deep Reinforcement Learning", ICLR 2024 (same unit; per-layer coefficients).
/// </summary>
public sealed class Rational : LearnableActivation
{
    /// <summary>
    /// Registry declaration: "pau(m=5, n=4, form=safe, init=leaky_relu(0.01), range=3, fit=range, per_channel=false)",
    /// alias "rational": the coefficients start as a least-squares fit to init on [−range, range].
    /// </summary>
    public static LearnableUnit Unit { get; } = new("pau", "P(x)/Q(x) with learned coefficients, started as a fit to a catalog activation",
        [
            SpecParameter.Integer("m", 5, "numerator degree", 0, RationalKernel.MaxDegree),
            SpecParameter.Integer("n", 4, "denominator degree", 0, RationalKernel.MaxDegree),
            SpecParameter.Choice("form", "safe", "denominator 1 + Σ|b_k||x|^k (safe) or 1 + |Σ b_k x^k| (abssum)", ["safe", "abssum"], new() { ["abs"] = "abssum" }),
            SpecParameter.ActivationName("init", "leaky_relu(negative_slope=0.01)", "the catalog activation the coefficients are fitted to"),
            SpecParameter.Number("range", 3, "the fit covers [−range, range]", min: 1e-3, max: 1e3),
            SpecParameter.Choice("fit", "range", "fit only the range, or also bound the divergence beyond it (wide)", ["range", "wide"]),
            LearnableUnit.PerChannel(false),
        ],
        a =>
        {
            var fit = RationalFitCache.Get(a.Text("init"), a.Float("range"), a.Int("m"), a.Int("n"),
                a.Text("form") == "abssum" ? RationalForm.AbsSum : RationalForm.Safe, a.Text("fit") == "wide" ? RationalFitMode.Wide : RationalFitMode.Range);
            a.Warn?.Invoke(fit.Warning);
            return new Rational(fit, a.Channels);
        })
    {
        Aliases = ["rational"], Paper = "Padé Activation Units", Year = 2020,
    };

    /// <summary>Numerator coefficients a_0..a_m.</summary>
    public Tensor Numerator { get; }
    /// <summary>Denominator coefficients b_1..b_n (absent when n = 0).</summary>
    public Tensor? Denominator { get; }
    /// <summary>Numerator degree m.</summary>
    public int M { get; }
    /// <summary>Denominator degree n.</summary>
    public int N { get; }
    /// <summary>Denominator form.</summary>
    public RationalForm Form { get; }

    /// <summary>Explicit coefficients (numerator a_0..a_m, denominator b_1..b_n), copied to every channel.</summary>
    public Rational(ReadOnlySpan<float> numerator, ReadOnlySpan<float> denominator, RationalForm form = RationalForm.Safe, int channels = 1) : base(channels)
    {
        if (numerator.Length < 1) throw new InvalidInputException("numerator needs at least a_0; got 0 coefficients.", nameof(numerator));
        foreach (float v in numerator) if (!float.IsFinite(v)) throw new InvalidInputException($"numerator coefficients must be finite; got {v}.", nameof(numerator));
        foreach (float v in denominator) if (!float.IsFinite(v)) throw new InvalidInputException($"denominator coefficients must be finite; got {v}.", nameof(denominator));
        M = numerator.Length - 1;
        N = denominator.Length;
        Form = form;
        _ = new RationalKernel(M, N, form); // validates degrees and form
        Numerator = RegisterSlot("numerator", 0, numerator);
        if (N > 0) Denominator = RegisterSlot("denominator", M + 1, denominator);
    }

    /// <summary>A rational unit initialised from a fit (see <see cref="FitTo"/>).</summary>
    public Rational(RationalFit fit, int channels = 1)
        : this(fit.Numerator.Select(v => (float)v).ToArray(), fit.Denominator.Select(v => (float)v).ToArray(), fit.Form, channels) { }

    /// <summary>
    /// Least-squares fit of P/Q to the catalog activation <paramref name="activation"/> (any spec, e.g. "gelu",
    /// "leaky_relu(0.01)") on [<paramref name="lo"/>, <paramref name="hi"/>]; see <see cref="RationalFit"/>. Read
    /// <see cref="RationalFit.Warning"/>: a rational fit diverges from its target outside the range.
    /// </summary>
    public static RationalFit FitTo(string activation, double lo = -3, double hi = 3, int m = 5, int n = 4,
        RationalForm form = RationalForm.Safe, RationalFitMode mode = RationalFitMode.Range) =>
        RationalFitter.Fit(activation, lo, hi, m, n, form, mode);

    /// <inheritdoc/>
    private protected override Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter)
    {
        // P by Horner; Q = 1 + |s|, s = Σ c_k·u^k with (c_k, u) = (|b_k|, |x|) in the safe form, (b_k, x) in abssum.
        var num = parameter(Numerator, M);
        for (int k = M - 1; k >= 0; k--) num = Ops.Add(Ops.Mul(num, x), parameter(Numerator, k));
        if (N == 0) return M == 0 ? Ops.Expand(num, x.Shape.ToArray()) : num;
        bool safe = Form == RationalForm.Safe;
        var u = safe ? Ops.Abs(x) : x;
        Tensor Coefficient(int k) => safe ? Ops.Abs(parameter(Denominator!, k - 1)) : parameter(Denominator!, k - 1);
        var sum = Coefficient(N);
        for (int k = N - 1; k >= 1; k--) sum = Ops.Add(Ops.Mul(sum, u), Coefficient(k));
        sum = Ops.Mul(sum, u);
        return Ops.Div(num, Ops.AddScalar(Ops.Abs(sum), 1f));
    }
    /// <inheritdoc/>
    private protected override ILearnableOp Op => new LearnableOp<RationalKernel>(new(M, N, Form));
    /// <inheritdoc/>
    protected override string OpName => "rational";
    /// <summary>"Rational(m=…, n=…, form=…, channels=…)".</summary>
    public override string ToString() => $"Rational(m={M}, n={N}, form={Form}, channels={Channels})";
}
