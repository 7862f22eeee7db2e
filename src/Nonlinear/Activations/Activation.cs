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

    /// <summary>f(x) in double precision.</summary>
    public abstract double Reference(double x);

    /// <summary>f′(x) in double precision.</summary>
    public abstract double ReferenceDerivative(double x);

    /// <summary>f applied elementwise to a tensor, recording the backward rule when gradients are needed.</summary>
    public Tensor Apply(Tensor x)
    {
        var xc = x.Contiguous();
        var y = Tensor.FromArray(GC.AllocateUninitializedArray<float>(xc.Length), xc.Shape.ToArray());
        Forward(xc.AsSpan(), y.AsSpan());
        var uses = Info.Uses;
        return Autograd.Record(y, Info.Name, [xc], g =>
        {
            var gc = g.Contiguous();
            var dx = Tensor.FromArray(GC.AllocateUninitializedArray<float>(gc.Length), gc.Shape.ToArray());
            Backward(uses == BackwardUses.Output ? default : xc.AsSpan(), uses == BackwardUses.Input ? default : y.AsSpan(), gc.AsSpan(), dx.AsSpan());
            return [dx];
        });
    }

    /// <summary>The name with bound parameters, parseable by <see cref="ActivationCatalog.Parse"/>: "leaky_relu(negative_slope=0.2)".</summary>
    public override string ToString()
    {
        if (Info.Parameters.Count == 0) return Info.Name;
        var parts = Info.Parameters.Select((p, i) => $"{p.Name}={Parameters[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        return $"{Info.Name}({string.Join(", ", parts)})";
    }
}

/// <summary>An activation backed by the kernel struct <typeparamref name="K"/>.</summary>
public sealed class Activation<K> : Activation where K : struct, IActivationKernel
{
    private readonly K _kernel;

    /// <summary>Binds a kernel (whose fields hold the parameter values) to its description.</summary>
    public Activation(ActivationInfo info, K kernel, double[] parameters) : base(info, parameters) => _kernel = kernel;

    /// <summary>The kernel struct, for fusing into other kernels.</summary>
    public K Kernel => _kernel;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> x, Span<float> y, SimdTier tier = SimdTier.Auto) => UnaryDriver.Forward(_kernel, x, y, tier);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto)
    {
        if (Info.Uses != BackwardUses.Output && x.Length != dy.Length)
            throw new ArgumentException($"{Info.Name} backward reads the input x; x has length {x.Length}, expected {dy.Length}.", nameof(x));
        if (Info.Uses != BackwardUses.Input && y.Length != dy.Length)
            throw new ArgumentException($"{Info.Name} backward reads the output y; y has length {y.Length}, expected {dy.Length}.", nameof(y));
        UnaryDriver.Backward(_kernel, x, y, dy, dx, tier);
    }

    /// <inheritdoc/>
    public override double Reference(double x) => _kernel.Reference(x);

    /// <inheritdoc/>
    public override double ReferenceDerivative(double x) => _kernel.ReferenceDerivative(x);
}
