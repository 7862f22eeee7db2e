using Nonlinear.Activations;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Inr;

/// <summary>
/// y = post·f(pre·x) for a catalog activation f: a frequency inside and an amplitude outside without a new kernel
/// (SPDER's sin(ω₀z)·√|z| is spder(ω₀z)/√ω₀). Derivatives of every order are f's, chained through the two scalings.
/// </summary>
public sealed class ScaledActivation : Module
{
    /// <summary>Wraps <paramref name="activation"/> between the two factors.</summary>
    /// <exception cref="ArgumentException">A factor that is not finite.</exception>
    public ScaledActivation(Activation activation, double pre, double post)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!double.IsFinite(pre) || !double.IsFinite(post))
            throw new ArgumentException($"pre and post must be finite; got {pre} and {post}.", nameof(pre));
        Activation = activation;
        Pre = pre;
        Post = post;
    }

    /// <summary>f.</summary>
    public Activation Activation { get; }
    /// <summary>The factor applied to the input.</summary>
    public double Pre { get; }
    /// <summary>The factor applied to f's output.</summary>
    public double Post { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Ops.MulScalar(Activation.Apply(Ops.MulScalar(x, (float)Pre)), (float)Post);

    /// <summary>"post·f(pre·x)".</summary>
    public override string ToString() => FormattableString.Invariant($"{Post:G6}·{Activation}({Pre:G6}·x)");
}
