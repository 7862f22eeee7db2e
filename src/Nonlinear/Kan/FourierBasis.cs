using System.Runtime.CompilerServices;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// Fourier features B_g(x) = cos(g·x) and B_{G+g}(x) = sin(g·x) for g = 1..G (2G functions per input);
/// derivatives −g·sin(g·x) and g·cos(g·x). FourierKAN (Xu et al., "FourierKAN-GCF", 2024) and FKAN (Mehrabian
/// et al., "Implicit Neural Representations with Fourier Kolmogorov-Arnold Networks", 2024).
/// </summary>
/// <remarks>
/// One sin/cos pair per input; the higher harmonics follow by angle addition, cos((g+1)x) = cos(gx)cos x − sin(gx)sin x,
/// sin((g+1)x) = sin(gx)cos x + cos(gx)sin x, whose rounding grows by ~2 ulp per step (the same order as the
/// rounding of the argument g·x that a direct evaluation would suffer). Initialisation (FourierKAN):
/// coefficients ~ N(0, 1/(inputs·G)).
/// </remarks>
public sealed class FourierBasis : KanBasis
{
    /// <summary>"fourier(frequencies=5)": FourierKAN's default.</summary>
    public static KanBasisDescriptor Descriptor { get; } = new("fourier", [],
        [new("frequencies", 5, 1, 256, true, "frequencies G (g = 1..G)")],
        "cos(g·x), sin(g·x) for g = 1..G (FourierKAN, FKAN)",
        (inputs, s) => new FourierBasis(inputs, s.Int("frequencies")));

    /// <summary>Frequencies G.</summary>
    public int Frequencies { get; }

    /// <summary>Harmonics 1..<paramref name="frequencies"/>.</summary>
    public FourierBasis(int inputs, int frequencies = 5) : base(inputs)
    {
        if (frequencies < 1 || frequencies > 256) throw new ArgumentException($"frequencies must be in [1, 256]; got {frequencies}.", nameof(frequencies));
        Frequencies = frequencies;
    }

    /// <inheritdoc/>
    public override string Name => "fourier";
    /// <inheritdoc/>
    public override int Count => 2 * Frequencies;
    /// <inheritdoc/>
    public override string ToString() => $"fourier(G={Frequencies})";

    /// <inheritdoc/>
    public override void Expand(ReadOnlySpan<float> x, int rows, Span<float> features, int ld, int offset, SimdTier tier = SimdTier.Auto) =>
        KanBasisDriver.Expand(new Kernel(Frequencies), x, rows, Inputs, features, ld, offset, tier);

    /// <inheritdoc/>
    public override void AccumulateInputGrad(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> g, int ld, int offset, Span<float> dx,
        SimdTier tier = SimdTier.Auto) => KanBasisDriver.AccumulateInputGrad(new Kernel(Frequencies), x, rows, Inputs, g, ld, offset, dx, tier);

    /// <inheritdoc/>
    internal override Tensor RecordedFeatures(Tensor x) =>
        Columns(Enumerable.Range(0, Count).Select(j =>
            j < Frequencies ? Ops.Cos(Ops.MulScalar(x, j + 1)) : Ops.Sin(Ops.MulScalar(x, j - Frequencies + 1))));

    /// <inheritdoc/>
    public override double Reference(int input, int j, double x) =>
        j < Frequencies ? Math.Cos((j + 1) * x) : Math.Sin((j - Frequencies + 1) * x);

    /// <inheritdoc/>
    public override double ReferenceDerivative(int input, int j, double x) =>
        j < Frequencies ? -(j + 1) * Math.Sin((j + 1) * x) : (j - Frequencies + 1) * Math.Cos((j - Frequencies + 1) * x);

    /// <inheritdoc/>
    public override void InitCoefficients(Span<float> coef, int outputs, Rng rng)
    {
        double std = 1 / Math.Sqrt((double)Inputs * Frequencies);
        for (int q = 0; q < coef.Length; q++) coef[q] = (float)(std * rng.NextGaussian());
    }

    private readonly struct Kernel(int frequencies) : IKanBasisKernel
    {
        public int Count => 2 * frequencies;

        public int ScratchPerLane => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
        {
            var (s1, c1) = VMath.SinCos(x);
            V s = s1, c = c1;
            for (int g = 0; g < frequencies; g++)
            {
                V.Store(c, ref Unsafe.Add(ref dst, g * stride));
                V.Store(s, ref Unsafe.Add(ref dst, (frequencies + g) * stride));
                V cn = V.Fma(c, c1, -(s * s1));
                s = V.Fma(s, c1, c * s1);
                c = cn;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V InputGrad<V>(int i, V x, ref float g, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
        {
            var (s1, c1) = VMath.SinCos(x);
            V s = s1, c = c1, acc = V.Create(0f);
            for (int q = 0; q < frequencies; q++)
            {
                // d/dx [a·cos(kx) + b·sin(kx)] = k·(b·cos(kx) − a·sin(kx)), k = q + 1.
                V a = V.Load(ref Unsafe.Add(ref g, q * stride)), b = V.Load(ref Unsafe.Add(ref g, (frequencies + q) * stride));
                acc = V.Fma(V.Create(q + 1f), V.Fma(b, c, -(a * s)), acc);
                V cn = V.Fma(c, c1, -(s * s1));
                s = V.Fma(s, c1, c * s1);
                c = cn;
            }
            return acc;
        }
    }
}
