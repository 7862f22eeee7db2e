using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Activations;

/// <summary>
/// An activation with its hyper-parameters bound: span kernels for forward and backward, the double
/// reference, and <see cref="Apply"/> for tensors with autodiff. Obtain one from <see cref="ActivationCatalog"/>.
/// </summary>
public abstract class Activation
{
    private protected Activation(ActivationInfo info, double[] parameters)
    {
        Info = info;
        Parameters = parameters;
    }

    /// <summary>Names, formulas and properties.</summary>
    public ActivationInfo Info { get; }

    /// <summary>The bound hyper-parameter values, in <see cref="ActivationInfo.Parameters"/> order.</summary>
    public IReadOnlyList<double> Parameters { get; }

    /// <summary>y = f(x) over spans of equal length (may be the same span). Never allocates.</summary>
    public abstract void Forward(ReadOnlySpan<float> x, Span<float> y, SimdTier tier = SimdTier.Auto);

    /// <summary>
    /// dx = dy · f′. Pass x and/or y as <see cref="ActivationInfo.Uses"/> says (the other may be empty). Never allocates.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto);

    /// <summary>
    /// y = f(x) and <paramref name="derivative"/> = f′(x) (the rule <see cref="Backward"/> applies): the bits of
    /// <see cref="Forward"/> and of <see cref="Backward"/> with dy = 1, over three separate spans of equal length. One pass
    /// where <see cref="FusesDerivative"/>; otherwise the two kernels one after the other.
    /// </summary>
    internal virtual void ForwardWithDerivative(ReadOnlySpan<float> x, Span<float> y, Span<float> derivative, SimdTier tier = SimdTier.Auto)
    {
        Forward(x, y, tier);
        // dx = dy·f′ with dy = 1 is f′ exactly; dy and dx may be the same memory (elementwise, read before written).
        derivative.Fill(1f);
        var uses = Info.Uses;
        Backward(uses == BackwardUses.Output ? default : x, uses == BackwardUses.Input ? default : y, derivative, derivative, tier);
    }

    /// <summary>
    /// True when the entry computes f′ alongside f for little more than f's cost (GELU, SiLU): <see cref="Apply"/> then
    /// saves f′ when gradients are recorded, and backward is one multiplication instead of a second evaluation.
    /// </summary>
    internal virtual bool FusesDerivative => false;

    /// <summary>f(x) in double precision.</summary>
    public abstract double Reference(double x);

    /// <summary>f′(x) in double precision.</summary>
    public abstract double ReferenceDerivative(double x);

    /// <summary>
    /// The rule <see cref="Backward"/> applies, in double precision: f′(x), except for entries whose
    /// <see cref="ActivationInfo.BackwardIsExact"/> is false (a surrogate gradient such as HeLU's).
    /// </summary>
    public abstract double ReferenceBackward(double x);

    /// <summary>∂f/∂θ_<paramref name="index"/>(x) in double precision, θ in <see cref="ActivationInfo.Parameters"/> order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">index is not a parameter index (every index, for a fixed entry).</exception>
    public abstract double ReferenceParameterDerivative(double x, int index);

    /// <summary>
    /// grads[k] = Σᵢ dy[i]·∂f/∂θ_k(x[i]) for every parameter k: the gradient of a loss with respect to the hyper-parameters,
    /// given the input x, the output y = f(x) (both required) and the upstream gradient dy. Summed in double in a fixed order,
    /// so every SIMD tier gives the same bits (see <see cref="ParameterDriver"/>). grads has one element per parameter (length 0
    /// for a fixed entry). Never allocates.
    /// </summary>
    public abstract void ParameterBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<double> grads, SimdTier tier = SimdTier.Auto);

    private protected void CheckParameterBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<double> grads)
    {
        if (grads.Length != Parameters.Count)
            throw new ArgumentException($"{Info.Name} has {Parameters.Count} parameter(s); grads has length {grads.Length}.", nameof(grads));
        if (x.Length != dy.Length)
            throw new ArgumentException($"{Info.Name} parameter backward reads x; x has length {x.Length}, expected {dy.Length}.", nameof(x));
        if (y.Length != dy.Length)
            throw new ArgumentException($"{Info.Name} parameter backward reads y; y has length {y.Length}, expected {dy.Length}.", nameof(y));
    }

    private protected void CheckBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy)
    {
        if (Info.Uses != BackwardUses.Output && x.Length != dy.Length)
            throw new ArgumentException($"{Info.Name} backward reads the input x; x has length {x.Length}, expected {dy.Length}.", nameof(x));
        if (Info.Uses != BackwardUses.Input && y.Length != dy.Length)
            throw new ArgumentException($"{Info.Name} backward reads the output y; y has length {y.Length}, expected {dy.Length}.", nameof(y));
    }

    private protected static double SurrogateOrExact<K>(in K kernel, double x) where K : struct, IActivationKernel =>
        // A type test on a struct type parameter is a JIT-time constant; the box only happens for surrogate kernels (tests, CLI).
        kernel is ISurrogateBackwardKernel s ? s.ReferenceBackward(x) : kernel.ReferenceDerivative(x);

    // Lane-wise kernels run the one-lane loop on every tier (same bits; see ILaneWiseKernel); a JIT-time constant per K.
    private protected static SimdTier PathFor<K>(SimdTier tier) where K : struct, IActivationKernel =>
        default(K) is ILaneWiseKernel ? SimdTier.Scalar : tier;

    private protected static void CheckBackwardDeclaration<K>(ActivationInfo info) where K : struct, IActivationKernel
    {
        bool surrogate = default(K) is ISurrogateBackwardKernel;
        if (surrogate == info.BackwardIsExact)
            throw new InvalidOperationException($"{info.Name}: BackwardIsExact = {info.BackwardIsExact} but its kernel {(surrogate ? "declares" : "does not declare")} a surrogate backward rule (ISurrogateBackwardKernel).");
    }

    /// <summary>f applied elementwise to a tensor, recording the backward rule when gradients are needed.</summary>
    public Tensor Apply(Tensor x)
    {
        var xc = x.Contiguous();
        var y = TensorArena.Empty(xc.Shape.ToArray());
        if (FusesDerivative && Autograd.ShouldRecord(xc)) return ApplySavingDerivative(xc, y);
        Forward(xc.AsSpanUntracked(), y.AsSpanUntracked());
        var uses = Info.Uses;
        return Autograd.Record(y, Info.Name, [xc], g =>
        {
            var gc = g.Contiguous();
            var dx = TensorArena.Empty(gc.Shape.ToArray());
            Backward(uses == BackwardUses.Output ? default : xc.AsSpanUntracked(), uses == BackwardUses.Input ? default : y.AsSpanUntracked(), gc.AsSpanUntracked(), dx.AsSpanUntracked());
            return [dx];
        }, saved: null, differentiable: g => [Ops.Mul(g, DerivativeTensor(xc, y))]);
    }

    // Training through GELU or SiLU: f′ leaves the forward pass with y (one evaluation of Φ or σ instead of two), so
    // backward is dx = dy·f′ with the same bits as Backward. The rule keeps f′ (one more buffer the size of y until
    // backward); createGraph still differentiates the recorded f′(x) composition.
    private Tensor ApplySavingDerivative(Tensor xc, Tensor y)
    {
        // f′ lives in the step's arena like y, so a backward after its scope closed throws instead of reading reused memory.
        var d = TensorArena.Empty(xc.Shape.ToArray());
        ForwardWithDerivative(xc.AsSpanUntracked(), y.AsSpanUntracked(), d.AsSpanUntracked());
        return Autograd.Record(y, Info.Name, [xc], g =>
        {
            var gc = g.Contiguous();
            var dx = TensorArena.Empty(gc.Shape.ToArray());
            UnaryDriver.BackwardFromDerivative(d.AsSpanUntracked(), gc.AsSpanUntracked(), dx.AsSpanUntracked());
            return [dx];
        }, saved: null, differentiable: g => [Ops.Mul(g, DerivativeTensor(xc, y))]);
    }

    /// <summary>f′(x) as a recorded tensor (see <see cref="SecondOrder.Derivative"/>): the createGraph side of <see cref="Apply"/>.</summary>
    private protected abstract Tensor DerivativeTensor(Tensor x, Tensor y);

    /// <summary>The kernel's f″ declaration, or null when the entry has none yet (the catalog test lists those).</summary>
    internal abstract ISecondDerivativeKernel? SecondDerivativeKernel { get; }

    /// <summary>True when f′ is also written with recorded ops (every order of derivative available).</summary>
    internal abstract bool HasComposedDerivative { get; }

    /// <summary>The name with bound parameters, parseable by <see cref="ActivationCatalog.Parse"/>: "leaky_relu(negative_slope=0.2)".</summary>
    public override string ToString()
    {
        if (Info.Parameters.Count == 0) return Info.Name;
        var parts = Info.Parameters.Select((p, i) => $"{p.Name}={Parameters[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        return $"{Info.Name}({string.Join(", ", parts)})";
    }
}

/// <summary>An activation with no hyper-parameters, backed by the kernel struct <typeparamref name="K"/>.</summary>
internal sealed class Activation<K> : Activation where K : struct, IActivationKernel
{
    private readonly K _kernel;
    private readonly ForwardDerivativePath<K>? _fused;

    /// <summary>Binds a kernel to its description; <paramref name="fused"/> is its one-pass y-and-f′ path, if it has one.</summary>
    public Activation(ActivationInfo info, K kernel, double[] parameters, ForwardDerivativePath<K>? fused = null) : base(info, parameters)
    {
        CheckBackwardDeclaration<K>(info);
        _kernel = kernel;
        _fused = fused;
    }

    /// <summary>The kernel struct, for fusing into other kernels.</summary>
    public K Kernel => _kernel;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> x, Span<float> y, SimdTier tier = SimdTier.Auto) => UnaryDriver.Forward(_kernel, x, y, PathFor<K>(tier));

    /// <inheritdoc/>
    internal override void ForwardWithDerivative(ReadOnlySpan<float> x, Span<float> y, Span<float> derivative, SimdTier tier = SimdTier.Auto)
    {
        if (_fused is not null) _fused.Run(_kernel, x, y, derivative, PathFor<K>(tier));
        else base.ForwardWithDerivative(x, y, derivative, tier);
    }

    /// <inheritdoc/>
    internal override bool FusesDerivative => _fused is not null;

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto)
    {
        CheckBackward(x, y, dy);
        UnaryDriver.Backward(_kernel, x, y, dy, dx, PathFor<K>(tier));
    }

    /// <inheritdoc/>
    public override double Reference(double x) => _kernel.Reference(x);

    /// <inheritdoc/>
    public override double ReferenceDerivative(double x) => _kernel.ReferenceDerivative(x);

    /// <inheritdoc/>
    public override double ReferenceBackward(double x) => SurrogateOrExact(_kernel, x);

    /// <inheritdoc/>
    public override double ReferenceParameterDerivative(double x, int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"{Info.Name} has no parameters.");

    private protected override Tensor DerivativeTensor(Tensor x, Tensor y) => SecondOrder.Derivative(_kernel, Info, x, y);

    internal override ISecondDerivativeKernel? SecondDerivativeKernel => _kernel as ISecondDerivativeKernel;

    internal override bool HasComposedDerivative => _kernel is IComposedDerivative;

    /// <inheritdoc/>
    public override void ParameterBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<double> grads, SimdTier tier = SimdTier.Auto) =>
        CheckParameterBackward(x, y, dy, grads);
}

/// <summary>An activation with hyper-parameters θ, backed by the kernel struct <typeparamref name="K"/> that also gives ∂f/∂θ.</summary>
internal sealed class ParametricActivation<K> : Activation where K : struct, IParametricActivationKernel
{
    private readonly K _kernel;
    private readonly ForwardDerivativePath<K>? _fused;

    /// <summary>Binds a kernel (whose fields hold the parameter values) to its description; <paramref name="fused"/> as for <see cref="Activation{K}"/>.</summary>
    public ParametricActivation(ActivationInfo info, K kernel, double[] parameters, ForwardDerivativePath<K>? fused = null) : base(info, parameters)
    {
        CheckBackwardDeclaration<K>(info);
        _kernel = kernel;
        _fused = fused;
    }

    /// <summary>The kernel struct, for fusing into other kernels.</summary>
    public K Kernel => _kernel;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> x, Span<float> y, SimdTier tier = SimdTier.Auto) => UnaryDriver.Forward(_kernel, x, y, PathFor<K>(tier));

    /// <inheritdoc/>
    internal override void ForwardWithDerivative(ReadOnlySpan<float> x, Span<float> y, Span<float> derivative, SimdTier tier = SimdTier.Auto)
    {
        if (_fused is not null) _fused.Run(_kernel, x, y, derivative, PathFor<K>(tier));
        else base.ForwardWithDerivative(x, y, derivative, tier);
    }

    /// <inheritdoc/>
    internal override bool FusesDerivative => _fused is not null;

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto)
    {
        CheckBackward(x, y, dy);
        UnaryDriver.Backward(_kernel, x, y, dy, dx, PathFor<K>(tier));
    }

    /// <inheritdoc/>
    public override double Reference(double x) => _kernel.Reference(x);

    /// <inheritdoc/>
    public override double ReferenceDerivative(double x) => _kernel.ReferenceDerivative(x);

    /// <inheritdoc/>
    public override double ReferenceBackward(double x) => SurrogateOrExact(_kernel, x);

    /// <inheritdoc/>
    public override double ReferenceParameterDerivative(double x, int index)
    {
        if ((uint)index >= (uint)Parameters.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Info.Name} has {Parameters.Count} parameter(s).");
        return _kernel.ReferenceParameterDerivative(x, index);
    }

    private protected override Tensor DerivativeTensor(Tensor x, Tensor y) => SecondOrder.Derivative(_kernel, Info, x, y);

    internal override ISecondDerivativeKernel? SecondDerivativeKernel => _kernel as ISecondDerivativeKernel;

    internal override bool HasComposedDerivative => _kernel is IComposedDerivative;

    /// <inheritdoc/>
    public override void ParameterBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<double> grads, SimdTier tier = SimdTier.Auto)
    {
        CheckParameterBackward(x, y, dy, grads);
        for (int k = 0; k < grads.Length; k++) grads[k] = ParameterDriver.Sum(_kernel, k, x, y, dy, PathFor<K>(tier));
    }
}
