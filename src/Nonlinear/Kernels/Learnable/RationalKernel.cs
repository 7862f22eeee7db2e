using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>Which denominator a rational (Padé) activation uses.</summary>
public enum RationalForm
{
    /// <summary>Q(x) = 1 + Σ_k |b_k|·|x|^k ("safe PAU"): Q ≥ 1, each term's gradient carries sign(b_k).</summary>
    Safe,
    /// <summary>Q(x) = 1 + |Σ_k b_k·x^k| (PAU's first form): Q ≥ 1, gradients carry sign(Σ b_k x^k).</summary>
    AbsSum,
}

/// <summary>
/// Rational activation f(x) = P(x)/Q(x), P(x) = Σ_{k=0..m} a_k x^k, Q as <see cref="RationalForm"/> with b_1..b_n.
/// θ = (a_0..a_m, b_1..b_n), P = m+1+n parameters. ∂f/∂x = (P′ − f·Q′)/Q; ∂f/∂a_k = x^k/Q; ∂f/∂b_k = −f/Q·∂Q/∂b_k
/// with ∂Q/∂b_k = sign(b_k)|x|^k (safe) or sign(S)·x^k, S = Σ b_j x^j (abs-sum); sign(0) = 0. Backward evaluates P, P′,
/// Q, Q′ by Horner and every coefficient gradient in the same pass. Q ≥ 1, so no pole; |x|^m overflows float beyond
/// |x| ≈ 10^(38/m) (≈ 4·10^7 for m = 5), where the result is NaN or ±∞. Molina, Schramowski and Kersting,
/// "Padé Activation Units: End-to-end Learning of Flexible Activation Functions in Deep Networks", ICLR 2020.
/// </summary>
internal readonly struct RationalKernel : ILearnableKernel
{
    /// <summary>Largest degree accepted for numerator or denominator.</summary>
    public const int MaxDegree = 24;
    private readonly int _m, _n;
    private readonly RationalForm _form;

    /// <summary>Numerator degree m, denominator degree n.</summary>
    public RationalKernel(int m, int n, RationalForm form)
    {
        if (m < 0 || m > MaxDegree) throw new ArgumentException($"numerator degree must be in [0, {MaxDegree}]; got {m}.", nameof(m));
        if (n < 0 || n > MaxDegree) throw new ArgumentException($"denominator degree must be in [0, {MaxDegree}]; got {n}.", nameof(n));
        if (!Enum.IsDefined(form)) throw new ArgumentException($"unknown rational form {form}.", nameof(form));
        (_m, _n, _form) = (m, n, form);
    }

    /// <inheritdoc/>
    public int ParameterCount => _m + 1 + _n;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private V Numerator<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>
    {
        V r = LK.P<V>(ref p, stride, _m);
        for (int k = _m - 1; k >= 0; k--) r = V.Fma(r, x, LK.P<V>(ref p, stride, k));
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private V Denominator<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>
    {
        if (_n == 0) return V.Create(1f);
        bool safe = _form == RationalForm.Safe;
        V u = safe ? V.Abs(x) : x;
        V r = LK.P<V>(ref p, stride, _m + _n);
        if (safe) r = V.Abs(r);
        for (int k = _n - 1; k >= 1; k--)
        {
            V b = LK.P<V>(ref p, stride, _m + k);
            r = V.Fma(r, u, safe ? V.Abs(b) : b);
        }
        return V.Create(1f) + V.Abs(r * u);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V> =>
        Numerator(x, ref p, stride) / Denominator(x, ref p, stride);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>
    {
        V zero = V.Create(0f), one = V.Create(1f);
        // P and P′ by one Horner sweep.
        V num = LK.P<V>(ref p, stride, _m), dnum = zero;
        for (int k = _m - 1; k >= 0; k--) { dnum = V.Fma(dnum, x, num); num = V.Fma(num, x, LK.P<V>(ref p, stride, k)); }
        // S(u) = Σ c_k u^k (k ≥ 1) and S′(u), with u = |x|, c = |b| (safe) or u = x, c = b (abs-sum).
        bool safe = _form == RationalForm.Safe;
        V u = safe ? V.Abs(x) : x, s = zero, ds = zero;
        for (int k = _n; k >= 1; k--)
        {
            V b = LK.P<V>(ref p, stride, _m + k);
            ds = V.Fma(ds, u, s);
            s = V.Fma(s, u, safe ? V.Abs(b) : b);
        }
        ds = V.Fma(ds, u, s);
        s = s * u;
        V den = one + V.Abs(s);
        // safe: Q′(x) = sign(x)·S′(|x|); abs-sum: Q′(x) = sign(S)·S′(x).
        V sg = LK.Sign(safe ? x : s);
        V g = dy / den, y = num / den;
        V pw = one;
        for (int k = 0; k <= _m; k++) { LK.Add(ref acc, accStride, k, g * pw); pw *= x; }
        V h = -(g * y);
        if (!safe) h *= sg;
        pw = u;
        for (int k = 1; k <= _n; k++)
        {
            V c = safe ? h * LK.Sign(LK.P<V>(ref p, stride, _m + k)) : h;
            LK.Add(ref acc, accStride, _m + k, c * pw);
            pw *= u;
        }
        return g * (dnum - y * (sg * ds));
    }

    /// <inheritdoc/>
    public double Reference(double x, ReadOnlySpan<double> theta)
    {
        double num = 0, s = 0;
        for (int k = _m; k >= 0; k--) num = num * x + theta[k];
        double u = _form == RationalForm.Safe ? Math.Abs(x) : x;
        for (int k = _n; k >= 1; k--) s = (s + (_form == RationalForm.Safe ? Math.Abs(theta[_m + k]) : theta[_m + k])) * u;
        return num / (1 + Math.Abs(s));
    }

    /// <inheritdoc/>
    public double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta)
    {
        bool safe = _form == RationalForm.Safe;
        double num = 0, dnum = 0, s = 0, ds = 0, u = safe ? Math.Abs(x) : x;
        for (int k = _m; k >= 0; k--) { dnum = dnum * x + num; num = num * x + theta[k]; }
        for (int k = _n; k >= 1; k--) { ds = ds * u + s; s = s * u + (safe ? Math.Abs(theta[_m + k]) : theta[_m + k]); }
        ds = ds * u + s;
        s *= u;
        double den = 1 + Math.Abs(s), y = num / den, sg = Math.Sign(safe ? x : s);
        for (int k = 0; k <= _m; k++) dTheta[k] = Math.Pow(x, k) / den;
        for (int k = 1; k <= _n; k++)
            dTheta[_m + k] = -y / den * (safe ? Math.Sign(theta[_m + k]) * Math.Pow(u, k) : sg * Math.Pow(x, k));
        return (dnum - y * sg * ds) / den;
    }
}
