using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>
/// Sum/Mean/Max along an axis and over everything. Sum bound: any order of n−1 float additions is within
/// γ_{n−1}·Σ|x| (k = n−1); Mean adds the rounded 1/n and one product (k = n+1); Max is exact.
/// </summary>
public class ReductionGradTests
{
    public static TheoryData<string, int, bool> Axes => new()
    {
        { "2,3", 0, false }, { "2,3", 1, true }, { "2,3", -1, false }, { "4", 0, false }, { "2,3,4", 1, false },
        { "2,3,4", 1, true }, { "2,3,4", 2, false }, { "1,5", 0, false }, { "37,19", 0, false }, { "3,40", 1, false },
        { "0,3", 0, false }, { "3,0", 0, true }, { "2,1,3", 1, false },
    };

    private static int N(string spec, int dim) { var s = ShapeSpec.Parse(spec)[0]; return s[dim < 0 ? dim + s.Length : dim]; }

    [Theory, MemberData(nameof(Axes))]
    public void Sum(string spec, int dim, bool keep) => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse(spec),
        Op = x => O.Sum(x[0], dim, keep),
        Reference = x => RefReductions.Sum(x[0], dim < 0 ? dim + x[0].Rank : dim, keep),
        Magnitude = (abs, _) => RefReductions.Sum(abs[0], dim < 0 ? dim + abs[0].Rank : dim, keep),
        ForwardUlps = Math.Max(N(spec, dim) - 1, 0),
    });

    [Theory, MemberData(nameof(Axes))]
    public void Mean(string spec, int dim, bool keep)
    {
        if (N(spec, dim) == 0) return;   // mean over an empty axis is NaN: SpecialCases covers it
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec),
            Op = x => O.Mean(x[0], dim, keep),
            Reference = x => RefReductions.Mean(x[0], dim < 0 ? dim + x[0].Rank : dim, keep),
            Magnitude = (abs, _) => RefReductions.Mean(abs[0], dim < 0 ? dim + abs[0].Rank : dim, keep),
            ForwardUlps = N(spec, dim) + 1,
        });
    }

    [Theory, MemberData(nameof(Axes))]
    public void Max(string spec, int dim, bool keep)
    {
        if (N(spec, dim) == 0) return;   // undefined; the error case is asserted in SpecialCases
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec),
            Op = x => O.Max(x[0], dim, keep),
            Reference = x => RefReductions.Max(x[0], dim < 0 ? dim + x[0].Rank : dim, keep),
            ForwardUlps = 0,
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("3,5")]
    [InlineData("2,3,40")]
    public void AllElements(string spec)
    {
        int n = ShapeSpec.Parse(spec)[0].Aggregate(1, (a, b) => a * b);
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec), Op = x => x[0].Sum(), Reference = x => RefReductions.SumAll(x[0]),
            Magnitude = (abs, _) => RefReductions.SumAll(abs[0]), ForwardUlps = Math.Max(n - 1, 0),
        });
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec), Op = x => x[0].Mean(), Reference = x => RefReductions.MeanAll(x[0]),
            Magnitude = (abs, _) => RefReductions.MeanAll(abs[0]), ForwardUlps = n + 1,
        });
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec), Op = x => O.Max(x[0]), Reference = x => RefReductions.MaxAll(x[0]), ForwardUlps = 0,
        });
    }

    [Fact]
    public void MaxRoutesGradientToFirstArgmaxOnTies()
    {
        var x = Tensor.FromArray([1f, 3f, 3f, 2f, 5f, 5f], 2, 3).RequireGrad();
        var y = O.Max(x, 1);
        Assert.Equal(new[] { 3f, 5f }, y.ToArray());
        y.Backward(Tensor.FromArray([10f, 20f], 2));
        Assert.Equal(new[] { 0f, 10f, 0f, 0f, 20f, 0f }, x.Grad!.ToArray());
    }

    [Fact]
    public void SpecialCases()
    {
        Assert.Equal(0f, O.Sum(Tensor.Zeros(0, 3)).Item());
        Assert.Equal(new[] { 0f, 0f, 0f }, O.Sum(Tensor.Zeros(0, 3), 0).ToArray());
        Assert.True(float.IsNaN(O.Mean(Tensor.Zeros(0)).Item()));
        Assert.True(float.IsNaN(O.Max(Tensor.FromArray([1f, float.NaN, 2f], 3)).Item()));
        var e = Assert.Throws<ArgumentException>(() => O.Max(Tensor.Zeros(2, 0), 1));
        Assert.Contains("[2, 0]", e.Message);
    }

    [Fact]
    public void SumKernelIsBitIdenticalAcrossTiersAndLengths()
    {
        var rng = new Rng(7);
        var data = new float[300];
        for (int i = 0; i < data.Length; i++) data[i] = (float)rng.NextGaussian() * MathF.Pow(10f, rng.NextInt(6) - 3);
        for (int n = 0; n <= data.Length; n++)
        {
            var s = data.AsSpan(0, n);
            float scalar = Reduce.Sum(s, SimdTier.Scalar);
            Assert.Equal(scalar, Reduce.Sum(s, SimdTier.Vec128));
            Assert.Equal(scalar, Reduce.Sum(s, SimdTier.Vec256));
            Assert.Equal(scalar, Reduce.Sum(s, SimdTier.Vec512));
            double exact = 0, mag = 0;
            foreach (float v in s) { exact += v; mag += Math.Abs(v); }
            Assert.True(Math.Abs(scalar - exact) <= Math.Max(n - 1, 0) * GradCheck.U * mag, $"n={n}: {scalar} vs {exact}");
        }
    }

    [Fact]
    public void MaxKernelAgreesAcrossTiersAndPropagatesNaN()
    {
        var rng = new Rng(11);
        var data = new float[200];
        for (int i = 0; i < data.Length; i++) data[i] = (float)rng.NextGaussian();
        for (int n = 0; n <= data.Length; n += 7)
        {
            var s = data.AsSpan(0, n);
            float expected = n == 0 ? float.NegativeInfinity : s.ToArray().Max();
            foreach (var tier in new[] { SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512 })
                Assert.Equal(expected, Reduce.Max(s, tier));
            Assert.Equal(n == 0 ? -1 : Array.IndexOf(data, expected, 0, n), Reduce.ArgMax(s));
        }
        var withNaN = data.ToArray();
        withNaN[150] = float.NaN;
        withNaN[170] = float.NaN;
        Assert.True(float.IsNaN(Reduce.Max(withNaN)));
        Assert.Equal(150, Reduce.ArgMax(withNaN));
        Assert.Equal(2, Reduce.ArgMax([1f, 3f, 5f, 5f, 2f]));
    }
}
