using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// A basis that exists only in the tests, to prove the extension point: B_j(x) = tanh(x − c_j) with S steps c_j evenly
/// spaced over [−1, 1], dB_j/dx = 1 − tanh²(x − c_j). Written with plain scalar loops over the public
/// <see cref="KanBasis"/> contract (no kernel structs), declared once by <see cref="Descriptor"/> and registered by one
/// line in <see cref="Register"/>.
/// </summary>
public sealed class TanhStepsBasis : KanBasis
{
    /// <summary>"tanh_steps(steps=4)".</summary>
    public static KanBasisDescriptor Descriptor { get; } = new("tanh_steps", ["tanh-steps"],
        [new("steps", 4, 2, 64, true, "steps S")],
        "tanh(x − c_j), S steps over [−1, 1] (a test-only basis)",
        (inputs, s) => new TanhStepsBasis(inputs, s.Int("steps")));

    private static readonly Lazy<KanBasisDescriptor> Registered = new(() =>
    {
        KanBases.Register(Descriptor);     // the one registration line
        return Descriptor;
    });

    /// <summary>Registers the basis once per test process (the registry is process-wide; tests run in parallel).</summary>
    public static KanBasisDescriptor Register() => Registered.Value;

    /// <summary>S steps.</summary>
    public TanhStepsBasis(int inputs, int steps) : base(inputs) => Steps = steps;

    /// <summary>Number of steps S.</summary>
    public int Steps { get; }
    /// <summary>Centre c_j of step j.</summary>
    public double Centre(int j) => -1 + 2.0 * j / (Steps - 1);
    /// <inheritdoc/>
    public override string Name => "tanh_steps";
    /// <inheritdoc/>
    public override int Count => Steps;
    /// <inheritdoc/>
    public override string ToString() => $"tanh_steps(S={Steps})";

    /// <inheritdoc/>
    public override void Expand(ReadOnlySpan<float> x, int rows, Span<float> features, int ld, int offset, SimdTier tier = SimdTier.Auto)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < Steps; j++)
                for (int i = 0; i < Inputs; i++)
                    features[r * ld + offset + j * Inputs + i] = MathF.Tanh(x[r * Inputs + i] - (float)Centre(j));
    }

    /// <inheritdoc/>
    public override void AccumulateInputGrad(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> g, int ld, int offset, Span<float> dx,
        SimdTier tier = SimdTier.Auto)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < Steps; j++)
                for (int i = 0; i < Inputs; i++)
                {
                    float t = MathF.Tanh(x[r * Inputs + i] - (float)Centre(j));
                    dx[r * Inputs + i] += g[r * ld + offset + j * Inputs + i] * (1 - t * t);
                }
    }

    /// <inheritdoc/>
    public override double Reference(int input, int j, double x) => Math.Tanh(x - Centre(j));

    /// <inheritdoc/>
    public override double ReferenceDerivative(int input, int j, double x)
    {
        double t = Math.Tanh(x - Centre(j));
        return 1 - t * t;
    }

    /// <summary>Coefficients ~ N(0, 1/(inputs·S)), as the Fourier and Chebyshev bases.</summary>
    public override void InitCoefficients(Span<float> coef, int outputs, Rng rng)
    {
        double std = 1 / Math.Sqrt((double)Inputs * Steps);
        for (int q = 0; q < coef.Length; q++) coef[q] = (float)(std * rng.NextGaussian());
    }
}
