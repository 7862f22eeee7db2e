using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Spiking;

/// <summary>
/// Every surrogate in the catalog: the double reference is the derivative of the declared smooth step (central
/// differences in double), the float derivative matches the reference, the LIF layer's backward applies exactly that
/// derivative, and specs round-trip.
/// </summary>
public sealed class SurrogateTests
{
    // The smooth step each surrogate differentiates, written from the formulas in the XML docs (independently of the code).
    private static double Primitive(SurrogateGradient s, double u) => s.Name switch
    {
        "fast_sigmoid" => u / (1 + s.Slope * Math.Abs(u)),
        "arctan" => Math.Atan(Math.PI / 2 * s.Slope * u) / Math.PI + 0.5,
        "sigmoid" => 1 / (1 + Math.Exp(-s.Slope * u)),
        "triangle" => Math.Abs(u) >= 1 / s.Slope ? (u > 0 ? 1 : 0) : u >= 0 ? 0.5 + s.Slope * u - s.Slope * s.Slope * u * u / 2 : 0.5 + s.Slope * u + s.Slope * s.Slope * u * u / 2,
        "straight_through" => s.Slope * u,
        _ => throw new InvalidOperationException($"test has no primitive for {s.Name}; add one."),
    };

    public static TheoryData<string> Specs => new() { "fast_sigmoid", "fast_sigmoid(10)", "arctan", "arctan(5)", "sigmoid", "sigmoid(4)", "triangle", "triangle(2.5)", "straight_through", "straight_through(0.5)" };

    private static readonly double[] Points = [-2, -0.7, -0.31, -0.05, -1e-3, 0.013, 0.2, 0.39, 0.9, 3];

    [Theory]
    [MemberData(nameof(Specs))]
    public void ReferenceIsTheDerivativeOfTheDeclaredStep(string spec)
    {
        var s = SurrogateCatalog.Parse(spec);
        foreach (double u in Points)
        {
            const double h = 1e-6;
            double fd = (Primitive(s, u + h) - Primitive(s, u - h)) / (2 * h);
            Assert.True(Math.Abs(fd - s.Reference(u)) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{spec} at {u}: reference {s.Reference(u)}, d/du of the step {fd}");
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void FloatDerivativeMatchesReference(string spec)
    {
        var s = SurrogateCatalog.Parse(spec);
        for (int i = -400; i <= 400; i++)
        {
            float u = i / 97f;
            double r = s.Reference(u);
            Assert.True(Math.Abs(s.Derivative(u) - r) <= 4e-7 * Math.Max(Math.Abs(r), s.Reference(0)), $"{spec} at {u}: {s.Derivative(u)} vs {r}");
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void LifBackwardAppliesTheSurrogate(string spec)
    {
        // One step, β = 0, θ = 1: S = H(I − 1), so ∂ΣS/∂I must be surrogate′(I − 1) at every input.
        var s = SurrogateCatalog.Parse(spec);
        float[] currents = [-1f, 0.2f, 0.95f, 1f, 1.03f, 1.4f, 3f];
        var x = Tensor.FromArray(currents, 1, 1, currents.Length).RequireGrad();
        var layer = new LifLayer(currents.Length, 1, new LifOptions { Beta = 0, Surrogate = s });
        var y = layer.Call(x);
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f], y.ToArray()); // H(0) = 0 as in snnTorch
        y.Sum().Backward();
        var g = x.Grad!.ToArray();
        for (int i = 0; i < currents.Length; i++)
            Assert.Equal(s.Reference(currents[i] - 1.0), g[i], 5e-6 * Math.Max(1, s.Reference(0)));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void SpecRoundTrips(string spec)
    {
        var s = SurrogateCatalog.Parse(spec);
        Assert.Equal(s, SurrogateCatalog.Parse(s.ToString()));
        Assert.Equal(spec.Split('(')[0], s.Name);
    }

    [Fact]
    public void DefaultsAndAliasesAreSnnTorchs()
    {
        Assert.Equal("fast_sigmoid(25)", SurrogateCatalog.Parse("fast_sigmoid").ToString());
        Assert.Equal("arctan(2)", SurrogateCatalog.Parse("atan").ToString());
        Assert.Equal("sigmoid(25)", SurrogateCatalog.Parse("sigmoid()").ToString());
        Assert.Equal("straight_through(1)", SurrogateCatalog.Parse("ste").ToString());
        Assert.Equal("arctan(3)", SurrogateCatalog.Parse("arctan(slope=3)").ToString());
        Assert.Equal(1.0, new FastSigmoid().Reference(0));
        Assert.Equal(1.0 / 36, new FastSigmoid(25).Reference(0.2), 15);
    }

    [Theory]
    [InlineData("fast_sigmoud", "did you mean fast_sigmoid")]
    [InlineData("arctan(-1)", "surrogate 'arctan(-1)': slope = -1; expected a value in")]
    [InlineData("sigmoid(1,2)", "takes 1 parameter")]
    [InlineData("triangle(width=2)", "has no parameter 'width'")]
    public void BadSpecsAreRefusedInOneLine(string spec, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => SurrogateCatalog.Parse(spec));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
