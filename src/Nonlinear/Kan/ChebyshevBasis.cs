using System.Runtime.CompilerServices;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// Chebyshev polynomials of the squashed input, B_n(x) = T_n(tanh x) for n = 0..D, by T_0 = 1, T_1 = t,
/// T_{n+1} = 2t·T_n − T_{n−1}; dB_n/dx = n·U_{n−1}(t)·(1 − t²) with U_0 = 1, U_1 = 2t, U_{n+1} = 2t·U_n − U_{n−1}.
/// tanh keeps the argument in (−1, 1), where |T_n| ≤ 1. ChebyKAN (SS et al., "Chebyshev Polynomial-Based
/// Kolmogorov-Arnold Networks", 2024).
/// </summary>
/// <remarks>Initialisation (ChebyKAN): coefficients ~ N(0, 1/(inputs·(D + 1))).</remarks>
public sealed class ChebyshevBasis : KanBasis
{
    /// <summary>"chebyshev(degree=4)": ChebyKAN's default.</summary>
    public static KanBasisDescriptor Descriptor { get; } = new("chebyshev", ["cheby"],
        [new("degree", 4, 1, 64, true, "degree D (D + 1 functions)")],
        "Chebyshev polynomials T_n(tanh x) (ChebyKAN)",
        (inputs, s) => new ChebyshevBasis(inputs, s.Int("degree")));

    /// <summary>Degree D (D + 1 functions per input).</summary>
    public int Degree { get; }

    /// <summary>Polynomials of degree 0..<paramref name="degree"/>.</summary>
    public ChebyshevBasis(int inputs, int degree = 4) : base(inputs)
    {
        if (degree < 1 || degree > 64) throw new ArgumentException($"degree must be in [1, 64]; got {degree}.", nameof(degree));
        Degree = degree;
    }

    /// <inheritdoc/>
    public override string Name => "chebyshev";
    /// <inheritdoc/>
    public override int Count => Degree + 1;
    /// <inheritdoc/>
    public override string ToString() => $"chebyshev(D={Degree})";

    /// <inheritdoc/>
    public override void Expand(ReadOnlySpan<float> x, int rows, Span<float> features, int ld, int offset, SimdTier tier = SimdTier.Auto) =>
        KanBasisDriver.Expand(new Kernel(Degree), x, rows, Inputs, features, ld, offset, tier);

    /// <inheritdoc/>
    public override void AccumulateInputGrad(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> g, int ld, int offset, Span<float> dx,
        SimdTier tier = SimdTier.Auto) => KanBasisDriver.AccumulateInputGrad(new Kernel(Degree), x, rows, Inputs, g, ld, offset, dx, tier);

    // By the trigonometric definition T_n(cos θ) = cos(nθ), independent of the recurrence the kernel uses.
    /// <inheritdoc/>
    internal override Tensor RecordedFeatures(Tensor x)
    {
        // T_0 = 1, T_1 = t, T_(j+1) = 2t·T_j − T_(j−1) with t = tanh x.
        var t = Ops.Tanh(x);
        var polys = new List<Tensor> { Ops.AddScalar(Ops.MulScalar(t, 0f), 1f) };
        if (Degree >= 1) polys.Add(t);
        for (int j = 2; j <= Degree; j++) polys.Add(Ops.Sub(Ops.MulScalar(Ops.Mul(t, polys[j - 1]), 2f), polys[j - 2]));
        return Columns(polys);
    }

    /// <inheritdoc/>
    public override double Reference(int input, int j, double x) => Math.Cos(j * Math.Acos(Math.Tanh(x)));

    /// <inheritdoc/>
    public override double ReferenceDerivative(int input, int j, double x)
    {
        // d/dx cos(n·acos(tanh x)) = n·sin(nθ)/sin θ·(1 − tanh²x) with θ = acos(tanh x); 1 − tanh²x = sin²θ.
        double th = Math.Acos(Math.Tanh(x));
        return j * Math.Sin(j * th) * Math.Sin(th);
    }

    /// <inheritdoc/>
    public override void InitCoefficients(Span<float> coef, int outputs, Rng rng)
    {
        double std = 1 / Math.Sqrt(Inputs * (Degree + 1.0));
        for (int q = 0; q < coef.Length; q++) coef[q] = (float)(std * rng.NextGaussian());
    }

    private readonly struct Kernel(int degree) : IKanBasisKernel
    {
        public int Count => degree + 1;

        public int ScratchPerLane => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
        {
            V t = VMath.Tanh(x), two = t + t;
            V prev = V.Create(1f), cur = t;
            V.Store(prev, ref dst);
            V.Store(cur, ref Unsafe.Add(ref dst, stride));
            for (int n = 2; n <= degree; n++)
            {
                V next = V.Fma(two, cur, -prev);
                V.Store(next, ref Unsafe.Add(ref dst, n * stride));
                prev = cur;
                cur = next;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V InputGrad<V>(int i, V x, ref float g, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
        {
            V t = VMath.Tanh(x), two = t + t;
            V uPrev = V.Create(1f), u = two;                                     // U_0, U_1
            V acc = V.Load(ref Unsafe.Add(ref g, stride));                      // n = 1: 1·U_0
            for (int n = 2; n <= degree; n++)
            {
                acc = V.Fma(V.Load(ref Unsafe.Add(ref g, n * stride)) * V.Create(n), u, acc);   // n·U_{n−1}
                V next = V.Fma(two, u, -uPrev);
                uPrev = u;
                u = next;
            }
            return acc * (V.Create(1f) - t * t);
        }
    }
}
