using Nonlinear.Activations;
using Nonlinear.Layers.Learnable;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Nonlinear.Tests.Activations;
using Xunit;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Quantization;

public class ActivationTableTests
{
    private static readonly ActivationQuantization In = new(8f / 255, 128);   // codes span [−8.03, 7.97]

    /// <summary>
    /// Every catalog entry: each of the 256 table entries is the round-half-even code of the double reference at the
    /// dequantized input (computed here independently), and the dequantized table agrees with the float kernel to half
    /// a step plus the kernel's float error (so a table built from the wrong input or output mapping cannot pass).
    /// </summary>
    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void TableEqualsTheRoundedDoubleReferenceOnAllCodes(string name)
    {
        var f = ActivationCatalog.Get(name).Create();
        var xs = Enumerable.Range(0, 256).Select(q => (double)In.Scale * (q - In.ZeroPoint)).ToArray();
        var ys = xs.Select(f.Reference).ToArray();
        var finite = ys.Where(double.IsFinite).ToArray();
        double lo = Math.Max(-1e4, finite.Min()), hi = Math.Min(1e4, finite.Max());
        var outQ = ActivationQuantization.FromRange(lo, hi);
        var table = ActivationTables.Build(f, In, outQ);

        var xf = xs.Select(x => (float)x).ToArray();
        var yf = new float[256];
        f.Forward(xf, yf);
        for (int q = 0; q < 256; q++)
        {
            double v = ys[q] / outQ.Scale;
            int want = double.IsNaN(v) ? 255 : (int)Math.Clamp(Math.Round(v, MidpointRounding.ToEven) + outQ.ZeroPoint, 0, 255);
            Assert.True(want == table[q], $"{name}: code {q} (x = {xs[q]:R}, f = {ys[q]:R}) maps to {table[q]}, expected {want}");
            if (double.IsFinite(ys[q]) && ys[q] >= lo && ys[q] <= hi && float.IsFinite(yf[q]))
            {
                double back = outQ.Dequantize(table[q]);
                double bound = 0.5 * outQ.Scale + Math.Abs(yf[q] - ys[q]) + 1e-6 * Math.Max(1, Math.Abs(ys[q]));
                Assert.True(Math.Abs(back - yf[q]) <= bound, $"{name}: code {q}: table gives {back:R}, float kernel {yf[q]:R}");
            }
        }
    }

    [Fact]
    public void ReluTableOnZeroPointCodesIsExact()
    {
        var relu = ActivationCatalog.Get("relu").Create();
        var outQ = new ActivationQuantization(In.Scale, 0);
        var t = ActivationTables.Build(relu, In, outQ);
        for (int q = 0; q < 256; q++) Assert.Equal(Math.Max(0, q - 128), t[q]);
    }

    /// <summary>A frozen per-channel PReLU gives one table per channel, each its own slope's.</summary>
    [Fact]
    public void LearnableUnitGetsATablePerChannel()
    {
        var prelu = new PRelu(3, 0.25f);
        prelu.Weight.AsSpan()[1] = 0.5f;
        prelu.Weight.AsSpan()[2] = -1f;
        var outQ = ActivationQuantization.FromRange(-8, 8);
        var t = ActivationTables.Build(prelu, 3, In, outQ);
        Assert.Equal(3 * 256, t.Length);
        float[] slopes = [0.25f, 0.5f, -1f];
        for (int c = 0; c < 3; c++)
            for (int q = 0; q < 256; q++)
            {
                float x = (float)In.Dequantize(q);
                Assert.Equal(outQ.Quantize(x > 0 ? x : slopes[c] * x), t[c * 256 + q]);
            }
        Assert.NotEqual(t.AsSpan(0, 256).ToArray(), t.AsSpan(256, 256).ToArray());
    }
}
