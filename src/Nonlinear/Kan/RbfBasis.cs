using System.Runtime.CompilerServices;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// Gaussian radial basis functions B_j(x) = exp(−((x − c_j)/h)²) with R centres c_j evenly spaced over [min, max]
/// and width h = (max − min)/(R − 1); dB_j/dx = −2(x − c_j)/h²·B_j(x). FastKAN's basis (Li, "Kolmogorov-Arnold
/// Networks are Radial Basis Function Networks", 2024), which approximates the cubic B-spline of the same grid.
/// </summary>
/// <remarks>Initialisation (FastKAN): coefficients from a normal distribution with std 0.1 truncated at ±2.</remarks>
public sealed class RbfBasis : KanBasis
{
    private readonly float[] _centres;
    private readonly float _invH;

    /// <summary>"rbf(centres=8,min=-2,max=2)": FastKAN's defaults.</summary>
    public static KanBasisDescriptor Descriptor { get; } = new("rbf", ["gaussian"],
        [
            new("centres", 8, 2, 1000, true, "RBF centres R"),
            new("min", -2, -1e6, 1e6, false, "first centre"),
            new("max", 2, -1e6, 1e6, false, "last centre"),
        ],
        "Gaussian radial basis functions (FastKAN)",
        (inputs, s) => new RbfBasis(inputs, s.Int("centres"), s["min"], s["max"]),
        s => s["min"] < s["max"] ? null : FormattableString.Invariant($"min must be < max; got [{s["min"]}, {s["max"]}]."));

    /// <summary>R centres over [gridMin, gridMax] (FastKAN defaults: 8 over [−2, 2]).</summary>
    public RbfBasis(int inputs, int centres = 8, double gridMin = -2, double gridMax = 2) : base(inputs)
    {
        if (centres < 2 || centres > 1000) throw new ArgumentException($"centres must be in [2, 1000]; got {centres}.", nameof(centres));
        if (!(gridMax > gridMin)) throw new ArgumentException($"gridMin < gridMax required; got [{gridMin}, {gridMax}].", nameof(gridMax));
        _centres = new float[centres];
        for (int j = 0; j < centres; j++) _centres[j] = (float)(gridMin + (gridMax - gridMin) * j / (centres - 1));
        Width = (gridMax - gridMin) / (centres - 1);
        _invH = (float)(1 / Width);
    }

    /// <summary>h, the common width.</summary>
    public double Width { get; }
    /// <summary>Centre c_j.</summary>
    public double Centre(int j) => _centres[j];
    /// <inheritdoc/>
    public override string Name => "rbf";
    /// <inheritdoc/>
    public override int Count => _centres.Length;
    /// <inheritdoc/>
    public override string ToString() => $"rbf(R={Count}, [{_centres[0]}, {_centres[^1]}])";

    /// <inheritdoc/>
    public override void Expand(ReadOnlySpan<float> x, int rows, Span<float> features, int ld, int offset, SimdTier tier = SimdTier.Auto) =>
        KanBasisDriver.Expand(new Kernel(_centres, _invH), x, rows, Inputs, features, ld, offset, tier);

    /// <inheritdoc/>
    public override void AccumulateInputGrad(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> g, int ld, int offset, Span<float> dx,
        SimdTier tier = SimdTier.Auto) => KanBasisDriver.AccumulateInputGrad(new Kernel(_centres, _invH), x, rows, Inputs, g, ld, offset, dx, tier);

    /// <inheritdoc/>
    internal override Tensor RecordedFeatures(Tensor x) =>
        Columns(_centres.Select(c =>
        {
            var u = Ops.MulScalar(Ops.AddScalar(x, -c), _invH);
            return Ops.Exp(Ops.Neg(Ops.Mul(u, u)));
        }));

    /// <inheritdoc/>
    public override double Reference(int input, int j, double x)
    {
        double t = (x - _centres[j]) * _invH;
        return Math.Exp(-t * t);
    }

    /// <inheritdoc/>
    public override double ReferenceDerivative(int input, int j, double x)
    {
        double t = (x - _centres[j]) * _invH;
        return -2 * t * _invH * Math.Exp(-t * t);
    }

    /// <inheritdoc/>
    public override void InitCoefficients(Span<float> coef, int outputs, Rng rng)
    {
        for (int q = 0; q < coef.Length; q++)
        {
            double v;
            do v = rng.NextGaussian(); while (Math.Abs(v) > 2);
            coef[q] = (float)(0.1 * v);
        }
    }

    private readonly struct Kernel(float[] centres, float invH) : IKanBasisKernel
    {
        public int Count => centres.Length;

        public int ScratchPerLane => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
        {
            V ih = V.Create(invH);
            for (int j = 0; j < centres.Length; j++)
            {
                V t = (x - V.Create(centres[j])) * ih;
                V.Store(VMath.Exp(-(t * t)), ref Unsafe.Add(ref dst, j * stride));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V InputGrad<V>(int i, V x, ref float g, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
        {
            V ih = V.Create(invH), acc = V.Create(0f);
            for (int j = 0; j < centres.Length; j++)
            {
                V t = (x - V.Create(centres[j])) * ih;
                acc = V.Fma(V.Load(ref Unsafe.Add(ref g, j * stride)) * t, VMath.Exp(-(t * t)), acc);
            }
            return acc * V.Create(-2f * invH);
        }
    }
}
