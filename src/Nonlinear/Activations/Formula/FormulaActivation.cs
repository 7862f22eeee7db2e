using Nonlinear.Kernels;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;

namespace Nonlinear.Activations.Formula;

/// <summary>
/// An activation written as a formula of x, e.g. "x*tanh(softplus(x))" or "x*sigmoid(b*x); b=1.5" (see <see cref="FormulaText"/>):
/// f′ by symbolic differentiation (<see cref="ExprDerivative"/>, simplified), checked against finite differences when the
/// activation is created (<see cref="FormulaCheck"/>); forward and backward run as compiled tapes (<see cref="FormulaProgram"/>),
/// the same bits on every SIMD tier. The name is the formula text, so a checkpoint or a run record that stores the activation
/// spec stores the formula, and parsing it back gives the same activation. Kinks follow <see cref="ExprDerivative"/>:
/// relu′(0) = ½ and |x|′(0) = sgn 0 = 0.
/// </summary>
internal sealed class FormulaActivation : Activation
{
    /// <summary>The family every formula activation reports.</summary>
    public const string FamilyName = "formula";

    private readonly Expr _f, _d;
    private readonly FormulaProgram _forward, _backward;
    private readonly Lazy<FormulaActivation> _derivative;

    private FormulaActivation(string name, Expr f, Expr d) : base(Describe(name, f, d), [])
    {
        _f = f;
        _d = d;
        _forward = new FormulaProgram(f, 1);
        // dx = dy·f′(x): the upstream gradient is variable 1, so the product is the tape's last instruction.
        _backward = new FormulaProgram(new Binary(BinaryOp.Mul, new Var(1, "dy"), d), 2);
        _derivative = new(() => new FormulaActivation($"d/dx[{name}]", d, Derive(name, d, "second ")));
    }

    /// <summary>Reads and checks a formula activation.</summary>
    /// <exception cref="InvalidInputException">The text is malformed (see <see cref="FormulaText.Parse"/>), the formula or its
    /// derivative is not finite on the probe grid, or the derivative disagrees with finite differences.</exception>
    public static FormulaActivation Parse(string spec)
    {
        var text = FormulaText.Parse(spec);
        var d = Derive(text.Canonical, text.Expression, "");
        FormulaCheck.Run(text.Canonical, text.Expression, d);
        return new FormulaActivation(text.Canonical, text.Expression, d);
    }

    /// <summary>The formula as evaluated (parameters bound).</summary>
    public Expr Expression => _f;

    /// <summary>f′ as evaluated (simplified).</summary>
    public Expr DerivativeExpression => _d;

    /// <summary>Instructions on the forward and backward tapes (for the benchmark notes and tests).</summary>
    internal (int Forward, int Backward) TapeLengths => (_forward.Length, _backward.Length);

    private static Expr Derive(string name, Expr f, string which)
    {
        try { return ExprSimplifier.Simplify(ExprDerivative.Differentiate(f, 0)); }
        catch (NotSupportedException e)
        {
            throw new InvalidInputException($"activation formula '{name}': its {which}derivative cannot be written in the formula language ({e.Message})", nameof(name));
        }
    }

    private static ActivationInfo Describe(string name, Expr f, Expr d) => new()
    {
        Name = name, Family = FamilyName, Formula = ExprFormat.Text(f), Derivative = ExprFormat.Text(d),
        Uses = BackwardUses.Input,
        Notes = "A formula activation: derivative by symbolic differentiation, checked against finite differences on [-6, 6] when created; "
              + "evaluated by a compiled tape of SIMD loops (the same bits on every tier). relu′(0) = ½ and |x|′(0) = 0.",
    };

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> x, Span<float> y, SimdTier tier = SimdTier.Auto) => _forward.Run(x, default, y, tier);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto)
    {
        CheckBackward(x, y, dy);
        if (dx.Length != dy.Length) throw new ArgumentException($"dx has length {dx.Length}; expected {dy.Length} (dy's length).", nameof(dx));
        _backward.Run(x, dy, dx, tier);
    }

    /// <inheritdoc/>
    public override double Reference(double x) => _f.Evaluate([x]);

    /// <inheritdoc/>
    public override double ReferenceDerivative(double x) => _d.Evaluate([x]);

    /// <inheritdoc/>
    public override double ReferenceBackward(double x) => ReferenceDerivative(x);

    /// <inheritdoc/>
    public override double ReferenceParameterDerivative(double x, int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"{Info.Name} has no trained parameters (its parameters are bound constants).");

    /// <inheritdoc/>
    public override void ParameterBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<double> grads, SimdTier tier = SimdTier.Auto) =>
        CheckParameterBackward(x, y, dy, grads);

    // f′ is itself a formula activation (built on first use), whose own backward is f″: derivatives of every order follow.
    private protected override Tensor DerivativeTensor(Tensor x, Tensor y) => _derivative.Value.Apply(x);

    internal override ISecondDerivativeKernel? SecondDerivativeKernel => null;

    internal override bool HasComposedDerivative => true;
}
