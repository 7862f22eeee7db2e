using Nonlinear.Tensors;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ln(1 + e^(βx))/β, and x itself where βx &gt; threshold; f′ = σ(βx) (1 above the threshold).
/// Equivalent to torch.nn.Softplus(beta=1, threshold=20). Dugas et al., "Incorporating Second-Order Functional
/// Knowledge for Better Option Pricing", 2001.
/// </summary>
internal readonly struct Softplus(float beta, float threshold) : IParametricActivationKernel, ISecondDerivative<Softplus>
{
    private readonly float _beta = beta, _threshold = threshold;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "softplus", Family = "relu",
        Formula = "beta·x > threshold ? x : ln(1 + exp(beta·x))/beta", Derivative = "beta·x > threshold ? 1 : σ(beta·x)",
        Parameters =
        [
            new("beta", 1.0, "sharpness; larger beta is closer to relu", "JAX and Keras have no beta (fixed 1)", Min: 1e-6),
            new("threshold", 20.0, "above beta·x > threshold the function is taken to be linear", "JAX and Keras have none (exact everywhere)"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [20],
        Paper = "Incorporating Second-Order Functional Knowledge for Better Option Pricing", Year = 2001,
        Notes = "Below the threshold: the stable form (max(βx, 0) + log1p(e^(−|βx|)))/β, never overflowing. The linear region "
              + "above the threshold is PyTorch's convention; it makes f jump by ln(1 + e^(−threshold))/β ≈ 2e-9 at "
              + "x = threshold/β (invisible in float32, listed as a kink for finite differences). ∂f/∂beta = (x·σ(beta·x) − f)/beta below the threshold, 0 above; ∂f/∂threshold = 0 (f only jumps there, by ≈ 2e-9).",
        PyTorch = "torch.nn.Softplus",
    }, p => new Softplus((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V z = V.Create(_beta) * x;
        V sp = VMath.SoftplusInline(z);
        // beta = 1 (PyTorch's default) skips a division per vector that would return sp unchanged.
        if (_beta != 1f) sp /= V.Create(_beta);
        return V.Blend(V.GreaterThan(z, V.Create(_threshold)), x, sp);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V z = V.Create(_beta) * x;
        return V.Blend(V.GreaterThan(z, V.Create(_threshold)), V.Create(1f), VMath.Sigmoid(z));
    }
    /// <inheritdoc/>
    public double Reference(double x) => _beta * x > _threshold ? x : DoubleMath.Softplus(_beta * x) / _beta;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => _beta * x > _threshold ? 1 : DoubleMath.Sigmoid(_beta * x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        if (index == 1) return V.Create(0f);
        V z = V.Create(_beta) * x;
        V az = V.Abs(z);
        V e = VMath.Exp(-az);
        // (z·σ(z) − softplus(z))/β² = −(|z|·e/(1 + e) + log1p(e))/β² with e = exp(−|z|): two terms of one sign, no cancellation.
        V t = V.Select(V.Equals(e, V.Create(0f)), V.Create(0f), az * e / (V.Create(1f) + e));
        V d = -(t + VMath.Log1p(e)) / V.Create(_beta * _beta);
        return V.Select(V.GreaterThan(z, V.Create(_threshold)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double z = (double)_beta * x;
        if (index == 1 || z > _threshold) return double.IsNaN(x) ? x : 0;
        double az = Math.Abs(z), e = Math.Exp(-az);
        double t = e == 0 ? 0 : az * e / (1 + e);
        return -(t + DoubleMath.Log1p(e)) / ((double)_beta * _beta);
    }

    /// <summary>f″ = beta·σ(beta·x)·σ(−beta·x) below the threshold, 0 above (the linear piece).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V z = V.Create(_beta) * x;
        V d = V.Create(_beta) * VMath.Sigmoid(z) * VMath.Sigmoid(-z);
        return V.Select(V.GreaterThan(z, V.Create(_threshold)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => _beta * x > _threshold ? 0 : _beta * DoubleMath.Sigmoid(_beta * x) * DoubleMath.Sigmoid(-_beta * x);
}
