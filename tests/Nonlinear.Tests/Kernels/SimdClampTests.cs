using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// ISimdVec.Clamp on every width, and the two-register Vec256x2 the AVX2 driver runs: the bound where x is beyond it,
/// x itself otherwise, NaN kept, and a zero kept as the zero it was even at a zero bound (unlike the IEEE max).
/// </summary>
public class SimdClampTests
{
    private const float Inf = float.PositiveInfinity;

    private static readonly (float X, float Lo, float Hi, float Expected)[] Cases =
    [
        (float.NaN, -104f, 88.8f, float.NaN), (Inf, -104f, 88.8f, 88.8f), (-Inf, -104f, 88.8f, -104f),
        (-104.5f, -104f, 88.8f, -104f), (88.81f, -104f, 88.8f, 88.8f), (3.5f, -104f, 88.8f, 3.5f), (-0f, -104f, 88.8f, -0f),
        (0f, -104f, 88.8f, 0f), (1e-45f, -104f, 88.8f, 1e-45f),
        // Zero bounds: −0 stays −0 (IEEE max(−0, +0) would be +0); +0 stays +0; NaN stays NaN.
        (-0f, 0f, 15f, -0f), (0f, 0f, 15f, 0f), (-3f, 0f, 15f, 0f), (16f, 0f, 15f, 15f), (float.NaN, 0f, 15f, float.NaN),
        (-0f, -Inf, 0f, -0f), (0f, -Inf, 0f, 0f), (2f, -Inf, 0f, 0f), (-Inf, -Inf, 0f, -Inf), (float.NaN, -Inf, 0f, float.NaN),
        (-2f, 0f, Inf, 0f), (Inf, 0f, Inf, Inf),
    ];

    private static float[] Run<V>() where V : struct, ISimdVec<V>
    {
        int w = V.Count;
        var result = new float[Cases.Length];
        var (x, lo, hi, y) = (new float[w], new float[w], new float[w], new float[w]);
        for (int c = 0; c < Cases.Length; c++)
        {
            // Each case in a different lane of an otherwise in-range register, so a lane mix-up shows.
            for (int i = 0; i < w; i++) (x[i], lo[i], hi[i]) = (1f, -2f, 2f);
            int lane = c % w;
            (x[lane], lo[lane], hi[lane]) = (Cases[c].X, Cases[c].Lo, Cases[c].Hi);
            V.Store(V.Clamp(V.Load(ref x[0]), V.Load(ref lo[0]), V.Load(ref hi[0])), ref y[0]);
            for (int i = 0; i < w; i++)
                if (i != lane) Assert.Equal(1f, y[i]);
            result[c] = y[lane];
        }
        return result;
    }

    public static TheoryData<string> Widths => ["Vec512", "Vec256", "Vec256x2", "Vec128", "Scalar"];

    [Theory]
    [MemberData(nameof(Widths))]
    public void ClampGivesTheBoundOrXOnEveryWidth(string width)
    {
        float[] y = width switch
        {
            "Vec512" => Run<Vec512>(), "Vec256" => Run<Vec256>(), "Vec256x2" => Run<Vec256x2>(), "Vec128" => Run<Vec128>(),
            _ => Run<Scalar>(),
        };
        for (int c = 0; c < Cases.Length; c++)
        {
            var (x, lo, hi, expected) = Cases[c];
            Assert.True(BitConverter.SingleToInt32Bits(y[c]) == BitConverter.SingleToInt32Bits(expected) || (float.IsNaN(y[c]) && float.IsNaN(expected)),
                $"{width}: Clamp({x:R}, {lo:R}, {hi:R}) = {y[c]:R}, expected {expected:R}");
        }
    }
}
