using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Layers.Inr;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Inr;

/// <summary>
/// The INR-only nonlinearities and encodings: values against double references, first and second derivatives
/// (through createGraph) against the double formulas, which are themselves checked by central differences in double.
/// </summary>
public class InrLayerTests
{
    // Points away from 0 (FINER's f″ jumps there; SPDER's is unbounded).
    private static readonly float[] Points = [-0.93f, -0.41f, -0.137f, -0.052f, 0.021f, 0.074f, 0.19f, 0.58f, 1.21f];

    private static (float[] Y, float[] D1, float[] D2) Derivatives(Func<Tensor, Tensor> f)
    {
        var x = Tensor.From(Points).RequireGrad();
        var y = f(x);
        var d1 = Autograd.Grad([Ops.Sum(y)], [x], createGraph: true)[0];
        var d2 = Autograd.Grad([Ops.Sum(d1)], [x])[0];
        return (y.ToArray(), d1.ToArray(), d2.ToArray());
    }

    // Double references checked against each other first: f′ and f″ by central differences (h = 1e-5: error ≲ 1e-8 relative).
    private static void CheckReference(Func<double, double> f, Func<double, double> d1, Func<double, double> d2, string name)
    {
        const double h = 1e-5;
        foreach (double x in Points)
        {
            double fd1 = (f(x + h) - f(x - h)) / (2 * h), fd2 = (d1(x + h) - d1(x - h)) / (2 * h);
            Assert.True(Math.Abs(fd1 - d1(x)) <= 1e-6 * (1 + Math.Abs(fd1)), $"{name} f′({x}) = {d1(x):R}; differences {fd1:R}");
            Assert.True(Math.Abs(fd2 - d2(x)) <= 1e-6 * (1 + Math.Abs(fd2)), $"{name} f″({x}) = {d2(x):R}; differences {fd2:R}");
        }
    }

    // Float results of a few roundings of |ω·z·(…)| ≲ 100 arguments: sin/cos of an argument carrying ≈ 6e-8·|arg|
    // absolute error, scaled by the derivative's factor (up to ω²·9 ≈ 1e4 here). Relative to the magnitude bound m.
    private static void AssertClose(float got, double want, double m, string what) =>
        Assert.True(Math.Abs(got - want) <= 2e-6 * m, $"{what}: {got:R}, reference {want:R} (bound {2e-6 * m:G3})");

    [Fact]
    public void FinerMatchesItsFormulaAndDerivatives()
    {
        const double w = 10;
        var layer = new FinerActivation(w);
        double D2(double z) => 2 * w * Math.Sign(z) * Math.Cos(w * (Math.Abs(z) + 1) * z) - w * w * Math.Pow(2 * Math.Abs(z) + 1, 2) * Math.Sin(w * (Math.Abs(z) + 1) * z);
        CheckReference(layer.Reference, layer.ReferenceDerivative, D2, "finer");
        var (y, d1, d2) = Derivatives(layer.Forward);
        for (int i = 0; i < Points.Length; i++)
        {
            double z = Points[i], arg = w * (Math.Abs(z) + 1) * Math.Abs(z);
            AssertClose(y[i], layer.Reference(z), 1 + arg, $"finer({z})");
            AssertClose(d1[i], layer.ReferenceDerivative(z), w * (2 * Math.Abs(z) + 1) * (1 + arg), $"finer′({z})");
            AssertClose(d2[i], D2(z), w * w * Math.Pow(2 * Math.Abs(z) + 1, 2) * (1 + arg), $"finer″({z})");
        }
    }

    [Fact]
    public void ScaledSpderIsSinOfOmegaZTimesRootAbsZ()
    {
        const double w = 30;
        var layer = new ScaledActivation(ActivationCatalog.Parse("spder"), w, 1 / Math.Sqrt(w));
        static double F(double z) => Math.Sin(w * z) * Math.Sqrt(Math.Abs(z));
        static double D1(double z) => w * Math.Cos(w * z) * Math.Sqrt(Math.Abs(z)) + Math.Sin(w * z) * Math.Sign(z) / (2 * Math.Sqrt(Math.Abs(z)));
        static double D2(double z)
        {
            double r = Math.Sqrt(Math.Abs(z)), s = Math.Sin(w * z), c = Math.Cos(w * z);
            return -w * w * s * r + w * c * Math.Sign(z) / r - s / (4 * Math.Abs(z) * r);
        }
        CheckReference(F, D1, D2, "spder(ω)");
        var (y, d1, d2) = Derivatives(layer.Forward);
        for (int i = 0; i < Points.Length; i++)
        {
            double z = Points[i], r = Math.Sqrt(Math.Abs(z)), m = 1 + w * Math.Abs(z);
            AssertClose(y[i], F(z), m, $"spder(ω)({z})");
            AssertClose(d1[i], D1(z), (w + 1 / r) * m, $"spder(ω)′({z})");
            AssertClose(d2[i], D2(z), (w * w + w / r + 1 / (r * r * r)) * m, $"spder(ω)″({z})");
        }
    }

    [Fact]
    public void PositionalEncodingKeepsTheInputThenSinCosOctaves()
    {
        var x = Tensor.From(new float[,] { { 0.25f, -0.6f } });
        var y = new PositionalEncoding(3).Call(x).ToArray();
        Assert.Equal(14, y.Length);
        Assert.Equal(0.25f, y[0]);
        Assert.Equal(-0.6f, y[1]);
        for (int k = 0; k < 3; k++)
            for (int d = 0; d < 2; d++)
            {
                double u = Math.PI * (1 << k) * (d == 0 ? 0.25f : -0.6f);
                Assert.Equal(Math.Sin(u), y[2 + 4 * k + d], 5e-6);
                Assert.Equal(Math.Cos(u), y[2 + 4 * k + 2 + d], 5e-6);
            }
    }

    [Fact]
    public void FourierFeaturesAreCosAndSinOfTwoPiBx()
    {
        var ff = new FourierFeatures(2, 4096, 10, new Rng(8));
        var b = ff.B.ToArray();
        double mean = b.Average(v => (double)v), sd = Math.Sqrt(b.Average(v => (v - mean) * (v - mean)));
        // 8192 normal draws: the sample sd has a standard error of σ/√(2N) = 0.78 %; 4 % is five of them.
        Assert.True(Math.Abs(sd / 10 - 1) < 0.04, $"B's sd {sd:R}; σ = 10");
        var y = ff.Call(Tensor.From(new float[,] { { 0.3f, -0.2f } })).ToArray();
        Assert.Equal(8192, y.Length);
        foreach (int j in new[] { 0, 1, 777, 4095 })
        {
            double u = 2 * Math.PI * (b[2 * j] * 0.3f + b[2 * j + 1] * -0.2f);
            // |u| up to ≈ 200: float's rounding of u (≈ 1e-5 absolute) dominates.
            Assert.Equal(Math.Cos(u), y[j], 1e-4);
            Assert.Equal(Math.Sin(u), y[4096 + j], 1e-4);
        }
    }
}
