using Nonlinear.Kernels;
using Xunit;
using static Nonlinear.Tests.Kernels.VMathAccuracyTests;

namespace Nonlinear.Tests.Kernels;

/// <summary>NaN, ±∞, ±0, subnormals, ±400 and the overflow/underflow thresholds, exactly, on every register width.</summary>
public class VMathSpecialValuesTests
{
    private const float Inf = float.PositiveInfinity;
    private const float Sub = 1e-40f; // subnormal

    private static void Check<F>(params (float X, float Expected)[] cases) where F : struct, IFn
    {
        var x = cases.Select(c => c.X).ToArray();
        foreach (var tier in Tiers)
        {
            var y = Run<F>(tier, x);
            for (int i = 0; i < x.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(y[i]) == BitConverter.SingleToInt32Bits(cases[i].Expected)
                            || (float.IsNaN(y[i]) && float.IsNaN(cases[i].Expected)),
                    $"{typeof(F).Name}({x[i]:R}) on {tier} = {y[i]:R}, expected {cases[i].Expected:R}");
        }
    }

    [Fact]
    public void Exp() => Check<ExpFn>((float.NaN, float.NaN), (Inf, Inf), (-Inf, 0f), (0f, 1f), (-0f, 1f), (400f, Inf), (-400f, 0f),
        (88.72283f, 3.4027985e38f), (88.7228394f, Inf), (-103.97207f, 1e-45f), (-104f, 0f), (Sub, 1f));

    [Fact]
    public void Log() => Check<LogFn>((float.NaN, float.NaN), (Inf, Inf), (-Inf, float.NaN), (0f, -Inf), (-0f, -Inf), (-1f, float.NaN),
        (1f, 0f), (1e-45f, -103.27893f), (float.MaxValue, 88.72284f));

    [Fact]
    public void Expm1() => Check<Expm1Fn>((float.NaN, float.NaN), (Inf, Inf), (-Inf, -1f), (0f, 0f), (-0f, -0f), (Sub, Sub), (-Sub, -Sub),
        (1e-30f, 1e-30f), (400f, Inf), (-400f, -1f), (88.72283f, 3.4027985e38f), (88.7228394f, Inf), (-17.4f, -1f), (-18f, -1f));

    [Fact]
    public void Log1p() => Check<Log1pFn>((float.NaN, float.NaN), (Inf, Inf), (-Inf, float.NaN), (0f, 0f), (-0f, -0f), (Sub, Sub), (-Sub, -Sub),
        (-1f, -Inf), (-1.5f, float.NaN), (1e-30f, 1e-30f), (float.MaxValue, 88.72284f));

    [Fact]
    public void Tanh() => Check<TanhFn>((float.NaN, float.NaN), (Inf, 1f), (-Inf, -1f), (0f, 0f), (-0f, -0f), (Sub, Sub), (-Sub, -Sub),
        (400f, 1f), (-400f, -1f), (9.1f, 1f), (1e-30f, 1e-30f));

    [Fact]
    public void Sigmoid() => Check<SigmoidFn>((float.NaN, float.NaN), (Inf, 1f), (-Inf, 0f), (0f, 0.5f), (-0f, 0.5f), (400f, 1f), (-400f, 0f),
        (-103.97207f, 1e-45f));

    [Fact]
    public void Softplus() => Check<SoftplusFn>((float.NaN, float.NaN), (Inf, Inf), (-Inf, 0f), (400f, 400f), (-400f, 0f),
        (0f, 0.6931472f), (-0f, 0.6931472f), (3e38f, 3e38f), (-103.97207f, 1e-45f));

    [Fact]
    public void Erf() => Check<ErfFn>((float.NaN, float.NaN), (Inf, 1f), (-Inf, -1f), (0f, 0f), (-0f, -0f), (Sub, 1.12837e-40f),
        (-Sub, -1.12837e-40f), (400f, 1f), (-400f, -1f), (3.92f, 1f), (-3.92f, -1f));

    [Fact]
    public void Erfc() => Check<ErfcFn>((float.NaN, float.NaN), (Inf, 0f), (-Inf, 2f), (0f, 1f), (-0f, 1f), (400f, 0f), (-400f, 2f), (11f, 0f));

    [Fact]
    public void NormalCdf() => Check<NormalCdfFn>((float.NaN, float.NaN), (Inf, 1f), (-Inf, 0f), (0f, 0.5f), (-0f, 0.5f), (400f, 1f), (-400f, 0f));
}
