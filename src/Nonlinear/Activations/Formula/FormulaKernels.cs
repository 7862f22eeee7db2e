using System.Runtime.CompilerServices;
using Nonlinear.Kernels;
using Nonlinear.Symbolic;

namespace Nonlinear.Activations.Formula;

/// <summary>
/// One SIMD loop per <see cref="MathFunction"/> for the formula tape: each function is a small kernel struct over the
/// library's own vector math (<see cref="VMath"/>, the same code the catalog kernels use, so every tier gives the same bits),
/// run by <see cref="UnaryDriver.ForwardCore{K, V}"/>. Functions with no vector form (Γ, lnΓ, ψ, ψ′, J₀, J₁, sinc, and
/// general powers) are evaluated lane by lane in double and rounded once to float: the same on every tier by construction,
/// and accurate, at a speed that only matters for formulas that use them.
/// </summary>
internal static class FormulaKernels
{
    /// <summary>True when <paramref name="f"/> has a vector kernel here (otherwise it runs lane-wise in double).</summary>
    public static bool IsVectorised(MathFunction f) => f is not (MathFunction.Gamma or MathFunction.Lgamma or MathFunction.Digamma
        or MathFunction.Trigamma or MathFunction.BesselJ0 or MathFunction.BesselJ1 or MathFunction.Sinc);

    /// <summary>o = f(a) with registers of type <typeparamref name="V"/>; a and o may be the same memory.</summary>
    public static void Apply<V>(MathFunction f, ReadOnlySpan<float> a, Span<float> o) where V : struct, ISimdVec<V>
    {
        switch (f)
        {
            case MathFunction.Sin: UnaryDriver.ForwardCore<SinK, V>(default, a, o); break;
            case MathFunction.Cos: UnaryDriver.ForwardCore<CosK, V>(default, a, o); break;
            case MathFunction.Tan: UnaryDriver.ForwardCore<TanK, V>(default, a, o); break;
            case MathFunction.Exp: UnaryDriver.ForwardCore<ExpK, V>(default, a, o); break;
            case MathFunction.Log: UnaryDriver.ForwardCore<LogK, V>(default, a, o); break;
            case MathFunction.Sqrt: UnaryDriver.ForwardCore<SqrtK, V>(default, a, o); break;
            case MathFunction.Abs: UnaryDriver.ForwardCore<AbsK, V>(default, a, o); break;
            case MathFunction.Tanh: UnaryDriver.ForwardCore<TanhK, V>(default, a, o); break;
            case MathFunction.Sigmoid: UnaryDriver.ForwardCore<SigmoidK, V>(default, a, o); break;
            case MathFunction.Sinh: UnaryDriver.ForwardCore<SinhK, V>(default, a, o); break;
            case MathFunction.Cosh: UnaryDriver.ForwardCore<CoshK, V>(default, a, o); break;
            case MathFunction.Arcsin: UnaryDriver.ForwardCore<AsinK, V>(default, a, o); break;
            case MathFunction.Arccos: UnaryDriver.ForwardCore<AcosK, V>(default, a, o); break;
            case MathFunction.Arctan: UnaryDriver.ForwardCore<AtanK, V>(default, a, o); break;
            case MathFunction.Arctanh: UnaryDriver.ForwardCore<AtanhK, V>(default, a, o); break;
            case MathFunction.Sign: UnaryDriver.ForwardCore<SignK, V>(default, a, o); break;
            case MathFunction.Softplus: UnaryDriver.ForwardCore<SoftplusK, V>(default, a, o); break;
            case MathFunction.Relu: UnaryDriver.ForwardCore<ReluK, V>(default, a, o); break;
            case MathFunction.Gaussian: UnaryDriver.ForwardCore<GaussianK, V>(default, a, o); break;
            case MathFunction.Erf: UnaryDriver.ForwardCore<ErfK, V>(default, a, o); break;
            case MathFunction.Erfc: UnaryDriver.ForwardCore<ErfcK, V>(default, a, o); break;
            default:
                for (int i = 0; i < o.Length; i++) o[i] = (float)MathFunctions.Apply(f, a[i]);
                break;
        }
    }

    /// <summary>
    /// o = tanh(softplus(a)) fused: with e = e^−|a|, (1 + 2e)/(1 + 2e + 2e²) for a ≥ 0 and e(e + 2)/(e(e + 2) + 2) below, the
    /// catalog mish's rational form. One exponential instead of three (softplus's exp and log1p, tanh's exp), so
    /// "x*tanh(softplus(x))" runs at mish's speed; both tails keep relative accuracy; NaN propagates.
    /// </summary>
    public static void TanhSoftplus<V>(ReadOnlySpan<float> a, Span<float> o) where V : struct, ISimdVec<V> => UnaryDriver.ForwardCore<TanhSoftplusK, V>(default, a, o);

    private readonly struct TanhSoftplusK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V>
        {
            V one = V.Create(1f), two = V.Create(2f);
            V e = VMath.Exp(-V.Abs(x));
            V pos = V.GreaterThanOrEqual(x, V.Create(0f));
            V num = V.Select(pos, V.Fma(two, e, one), e * (e + two));
            V den = num + V.Select(pos, two * e * e, two);
            return num / den;
        }
    }

    /// <summary>o = −a.</summary>
    public static void Negate<V>(ReadOnlySpan<float> a, Span<float> o) where V : struct, ISimdVec<V> => UnaryDriver.ForwardCore<NegK, V>(default, a, o);

    /// <summary>o[i] = a[i·sa]^b[i·sb] lane-wise in double (Math.Pow's special cases), rounded once.</summary>
    public static void Pow(ReadOnlySpan<float> a, int sa, ReadOnlySpan<float> b, int sb, Span<float> o)
    {
        for (int i = 0; i < o.Length; i++) o[i] = (float)Math.Pow(a[i * sa], b[i * sb]);
    }

    private readonly struct NegK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => -x;
    }
    private readonly struct SinK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(x);
    }
    private readonly struct CosK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Cos(x);
    }
    private readonly struct TanK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(x) / VMath.Cos(x);
    }
    private readonly struct ExpK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(x);
    }
    private readonly struct LogK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Log(x);
    }
    private readonly struct SqrtK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Sqrt(x);
    }
    private readonly struct AbsK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Abs(x);
    }
    private readonly struct TanhK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.TanhInline(x);
    }
    private readonly struct SigmoidK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sigmoid(x);
    }
    private readonly struct SoftplusK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Softplus(x);
    }
    private readonly struct ErfK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Erf(x);
    }
    private readonly struct ErfcK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Erfc(x);
    }
    private readonly struct AtanK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Atan(x);
    }
    private readonly struct GaussianK : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(-(x * x));
    }
    private readonly struct ReluK : IUnaryKernel
    {
        // As the catalog's relu: −0 → +0 and NaN kept (a compare and a mask).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Select(V.LessThanOrEqual(x, V.Create(0f)), V.Create(0f), x);
    }
    private readonly struct SignK : IUnaryKernel
    {
        // sgn ∈ {−1, 0, 1} and NaN for NaN (as MathFunctions.Apply): ±0 gives +0.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
            V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f),
                V.Select(V.LessThan(x, V.Create(0f)), V.Create(-1f), V.Select(V.IsNaN(x), x, V.Create(0f))));
    }
    private readonly struct SinhK : IUnaryKernel
    {
        // (expm1(x) − expm1(−x))/2: the two terms have opposite signs, so small x keeps its relative accuracy.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V> => (VMath.Expm1(x) - VMath.Expm1(-x)) * V.Create(0.5f);
    }
    private readonly struct CoshK : IUnaryKernel
    {
        // e^|x|/2 + e^−|x|/2; overflows from |x| ≈ 88.7 (true cosh a little later, at 89.4).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V>
        {
            V e = VMath.Exp(V.Abs(x));
            return V.Create(0.5f) * e + V.Create(0.5f) / e;
        }
    }
    private readonly struct AsinK : IUnaryKernel
    {
        // atan(x/√((1−x)(1+x))): the factored form keeps 1 − x² accurate near ±1; ±1 gives ±π/2 through atan(±∞); NaN outside.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
            VMath.Atan(x / V.Sqrt((V.Create(1f) - x) * (V.Create(1f) + x)));
    }
    private readonly struct AcosK : IUnaryKernel
    {
        // 2·atan(√((1−x)/(1+x))): accurate at both ends, unlike π/2 − asin x near 1.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
            V.Create(2f) * VMath.Atan(V.Sqrt((V.Create(1f) - x) / (V.Create(1f) + x)));
    }
    private readonly struct AtanhK : IUnaryKernel
    {
        // ½·log1p(2x/(1−x)): no cancellation near 0; ±1 gives ±∞, NaN outside.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
            V.Create(0.5f) * VMath.Log1p(V.Create(2f) * x / (V.Create(1f) - x));
    }
}
