using Nonlinear.Tensors;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·σ(βx); f′ = σ(βx)·(1 + βx·σ(−βx)). Equivalent to torch.nn.SiLU for β = 1.
/// Elfwing, Uchibe and Doya, "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in
/// Reinforcement Learning", 2017 (as "swish": Ramachandran, Zoph and Le, 2017).
/// </summary>
internal readonly struct Silu(float beta) : IParametricActivationKernel, IFusedDerivativeKernel, ISecondDerivative<Silu>, IComposedDerivative
{
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "silu", Aliases = ["swish"], Family = "gated",
        Formula = "x·σ(beta·x)", Derivative = "σ(beta·x)·(1 + beta·x·(1 − σ(beta·x)))",
        Parameters = [new("beta", 1.0, "gate sharpness; beta → ∞ gives relu, beta = 0 gives x/2",
            "torch.nn.SiLU and jax.nn.silu have no beta (fixed 1); Keras swish fixed 1; the swish paper learns beta")],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning", Year = 2017,
        Notes = "PyTorch's SiLU has no beta parameter (it is beta = 1). σ(βx) and σ(−βx) come from one exponential e^(−|βx|), "
              + "so 1 − σ does not cancel in the right tail. silu(−∞) = −0. ∂f/∂beta = x²·σ(beta·x)·σ(−beta·x).",
        PyTorch = "torch.nn.SiLU",
    }, p => new Silu((float)p[0]), ForwardDerivativePath.Fused<Silu>());

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V s = VMath.Sigmoid(V.Create(_beta) * x);
        // x·σ(βx) is ∞·0 at one infinity (limit 0, with x's sign); the test on s covers both signs of beta.
        V inf = V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)) & V.Equals(s, V.Create(0f));
        return V.Blend(inf, x & V.Create(-0f), x * s);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V z = V.Create(_beta) * x;
        // e = 2⁶⁴·e^(−|z|) (VMath.ExpOfNegativeScaled: one exact scaling instead of the two-step one); r = 1/(1 + e^(−|z|))
        // with the same bits, and e·r carries the 2⁶⁴ until one last multiply, which is exact wherever σ(−|z|) is normal.
        V big = V.Create(18446744073709551616f);
        V e = VMath.ExpOfNegativeScaled(-V.Abs(z));
        V r = big / (big + e);
        V er = e * r * V.Create(5.42101086242752217e-20f);
        V neg = V.LessThan(z, V.Create(0f));
        V s = V.Blend(neg, er, r);
        V sm = V.Blend(neg, r, er);
        V d = s * V.Fma(z, sm, one);
        // z·σ(−z) → 0 as z → +∞ but is ∞·0 at the infinity itself.
        return V.Blend(V.Equals(V.Abs(z), V.Create(float.PositiveInfinity)), s, d);
    }
    /// <summary>
    /// Forward and Derivative in one: both take σ from the same 2⁶⁴·e^(−|βx|), which is computed once (the two quotients
    /// stay: the forward's e/(1 + e) and the derivative's 1/(1 + e) round differently). Same expressions, same bits.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ForwardWithDerivative<V>(V x, out V derivative) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f), big = V.Create(18446744073709551616f);
        V z = V.Create(_beta) * x;
        V e = VMath.ExpOfNegativeScaled(-V.Abs(z));
        V den = big + e;
        V neg = V.LessThan(z, V.Create(0f));
        // Forward: VMath.Sigmoid(z)'s expression.
        V s = V.Blend(neg, e, big) / den;
        V inf = V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)) & V.Equals(s, V.Create(0f));
        V y = V.Blend(inf, x & V.Create(-0f), x * s);
        // Derivative: its expression from the same e.
        V r = big / den;
        V er = e * r * V.Create(5.42101086242752217e-20f);
        V sd = V.Blend(neg, er, r);
        V sm = V.Blend(neg, r, er);
        V d = sd * V.Fma(z, sm, one);
        derivative = V.Blend(V.Equals(V.Abs(z), V.Create(float.PositiveInfinity)), sd, d);
        return y;
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double s = DoubleMath.Sigmoid(_beta * x);
        return double.IsInfinity(x) && s == 0 ? Math.CopySign(0.0, x) : x * s;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double z = _beta * x, s = DoubleMath.Sigmoid(z);
        return double.IsInfinity(z) ? s : s * (1 + z * DoubleMath.Sigmoid(-z));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(V.Create(_beta) * x));
        V r = V.Create(1f) / (V.Create(1f) + e);
        // x²·σ(βx)·σ(−βx) = x²·e·r² with e = exp(−|βx|); 0 (not ∞·0) once e underflows.
        return V.Select(V.Equals(e, V.Create(0f)), V.Create(0f), x * x * (e * r * r));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double e = Math.Exp(-Math.Abs(_beta * x)), r = 1 / (1 + e);
        return e == 0 ? 0 : x * x * (e * r * r);
    }

    /// <summary>f″ = beta·s(1 − s)·(2 + beta·x·(1 − 2s)), s = σ(beta·x); 0 at ±∞ (the ∞·0 limit).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V z = V.Create(_beta) * x;
        V e = VMath.Exp(-V.Abs(z));
        V r = one / (one + e);
        V neg = V.LessThan(z, V.Create(0f));
        V s = V.Blend(neg, e * r, r);
        V sm = V.Blend(neg, r, e * r);               // σ(−z) = 1 − s without cancellation
        V d = V.Create(_beta) * s * sm * V.Fma(z, sm - s, V.Create(2f));
        return V.Select(V.Equals(V.Abs(z), V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double z = _beta * x;
        if (double.IsInfinity(z)) return 0;
        double s = DoubleMath.Sigmoid(z), sm = DoubleMath.Sigmoid(-z);
        return _beta * s * sm * (2 + z * (sm - s));
    }
    /// <inheritdoc/>
    public Tensor Derivative(Tensor x, Tensor y)
    {
        var s = Ops.Reciprocal(Ops.AddScalar(Ops.Exp(Ops.MulScalar(x, -_beta)), 1f));
        // σ + βx·σ(1 − σ)
        return Ops.Add(s, Ops.Mul(Ops.MulScalar(x, _beta), Ops.Mul(s, Ops.AddScalar(Ops.Neg(s), 1f))));
    }
}
