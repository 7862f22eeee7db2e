using Nonlinear.Kernels;
using Nonlinear.Kernels.Learnable;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>One learnable kernel with parameter values and an input range, callable without knowing its struct type.</summary>
public abstract class LearnableCase(string name, double[] theta, double lo, double hi, double[] kinks)
{
    public string Name { get; } = name;
    public double[] Theta { get; } = theta;
    public double Lo { get; } = lo;
    public double Hi { get; } = hi;
    /// <summary>Inputs where f′ jumps (finite differences skip their neighbourhood).</summary>
    public double[] Kinks { get; } = kinks;
    public abstract int P { get; }
    public abstract void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> theta, int channels, int inner, SimdTier tier);
    public abstract void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> theta, int channels, int inner, Span<float> dTheta, SimdTier tier);
    public abstract double Reference(double x, ReadOnlySpan<double> theta);
    public abstract double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta);
    public override string ToString() => Name;
}

internal sealed class LearnableCase<K>(string name, K kernel, double[] theta, double lo, double hi, params double[] kinks)
    : LearnableCase(name, theta, lo, hi, kinks) where K : struct, ILearnableKernel
{
    public override int P => kernel.ParameterCount;
    public override void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> theta, int channels, int inner, SimdTier tier) =>
        LearnableDriver.Forward(kernel, x, y, theta, channels, inner, tier);
    public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> theta, int channels, int inner, Span<float> dTheta, SimdTier tier) =>
        LearnableDriver.Backward(kernel, x, dy, dx, theta, channels, inner, dTheta, tier);
    public override double Reference(double x, ReadOnlySpan<double> theta) => kernel.Reference(x, theta);
    public override double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta) => kernel.ReferenceGradient(x, theta, dTheta);
}

/// <summary>Every learnable kernel under test; a new unit adds one line here and gets every generic test.</summary>
public static class LearnableCases
{
    // Coefficients of a (5,4) fit to leaky_relu on [−3, 3] (rounded): a realistic, sign-mixed set.
    private static readonly double[] Pau = [0.0297, 0.617, 2.37, 1.56, 0.286, 0.0158, -1.24, 2.21, 0.0412, 0.0356];

    public static IReadOnlyList<LearnableCase> All { get; } =
    [
        new LearnableCase<PreluKernel>("prelu", default, [0.25], -4, 4, 0),
        new LearnableCase<PreluKernel>("prelu_negative_slope", default, [-0.7], -4, 4, 0),
        new LearnableCase<ApaKernel>("apa_gated", new ApaKernel(true), [1.3, 0.6], -6, 6),
        new LearnableCase<ApaKernel>("apa_plain", new ApaKernel(false), [0.8, 1.7], -6, 6),
        new LearnableCase<SauKernel>("sau", default, [0.05, 0.8], -5, 5),
        new LearnableCase<RationalKernel>("pau_safe_5_4", new RationalKernel(5, 4, RationalForm.Safe), Pau, -3, 3, 0),
        new LearnableCase<RationalKernel>("pau_abssum_5_4", new RationalKernel(5, 4, RationalForm.AbsSum), [0.02, 0.5, 0.8, 0.4, 0.05, 0.01, 0.6, 0.1, 0.2, 0.01], -3, 3, 0),
        new LearnableCase<SnakeKernel>("snake", default, [0.7], -8, 8),
        new LearnableCase<SnakeKernel>("snake_negative_a", default, [-1.3], -8, 8),
        new LearnableCase<SnakeBetaKernel>("snake_beta", default, [1.6, 0.6], -8, 8),
        new LearnableCase<RationalKernel>("pau_safe_3_2", new RationalKernel(3, 2, RationalForm.Safe), [0.1, 1.0, -0.3, 0.2, -0.5, 0.4], -3, 3, 0),
    ];

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var c in All) d.Add(c.Name);
        return d;
    }

    public static LearnableCase Get(string name) => All.Single(c => c.Name == name);
}
