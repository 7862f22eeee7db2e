using System.Text.Json;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Similarity;
using Xunit;

namespace Nonlinear.Tests.Interpret;

/// <summary>
/// Linear, debiased and RBF CKA against Kornblith et al.'s reference code run in numpy (fixtures/cka_numpy.json, written
/// by tools/golden/cka_numpy.py on float32 inputs stored exactly). Tolerance 1e-11 absolute: both sides compute in double
/// from the same float32 values and differ only in summation order (feature space vs n × n Gram matrices, ≤ 60 × 60 terms
/// of magnitude ≤ 10³), which moves the last ~3 of 16 digits; a wrong centring, median or bandwidth moves the second.
/// </summary>
public sealed class CkaGoldenTests
{
    private const double Tolerance = 1e-11;

    private static JsonElement Root() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "cka_numpy.json"))).RootElement;

    public static TheoryData<string> Cases() => new("related", "wide-unrelated", "nonlinear");

    private static (ActivationMatrix X, ActivationMatrix Y, JsonElement Case) Load(string name)
    {
        var c = Root().GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int n = c.GetProperty("n").GetInt32(), p = c.GetProperty("p").GetInt32(), q = c.GetProperty("q").GetInt32();
        float[] Read(string key) => [.. c.GetProperty(key).EnumerateArray().Select(v => (float)v.GetDouble())];
        return (new ActivationMatrix("x", Read("x"), n, p), new ActivationMatrix("y", Read("y"), n, q), c);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LinearCkaEqualsNumpy(string name)
    {
        var (x, y, c) = Load(name);
        Assert.Equal(c.GetProperty("linear").GetDouble(), Cka.Linear(x, y), Tolerance);
        Assert.Equal(c.GetProperty("linear_debiased").GetDouble(), Cka.Debiased(x, y), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RbfCkaEqualsNumpyAtEachThreshold(string name)
    {
        var (x, y, c) = Load(name);
        foreach (var r in c.GetProperty("rbf").EnumerateArray())
        {
            double t = r.GetProperty("threshold").GetDouble();
            Assert.Equal(r.GetProperty("cka").GetDouble(), Cka.Rbf(x, y, t), Tolerance);
            Assert.Equal(r.GetProperty("debiased").GetDouble(), Cka.Rbf(x, y, t, debiased: true), Tolerance);
        }
    }

    [Fact]
    public void RbfCkaOfARepresentationWithItselfIsOne()
    {
        var (x, _, _) = Load("nonlinear");
        Assert.Equal(1.0, Cka.Rbf(x, x, 0.7), 14);
        Assert.Equal(1.0, Cka.Rbf(x, x, 0.7, debiased: true), 14);
    }

    [Fact]
    public void RbfCkaRefusesABadThresholdAndCoincidentRows()
    {
        var (x, y, _) = Load("related");
        Assert.Throws<InvalidInputException>(() => Cka.Rbf(x, y, 0));
        Assert.Throws<InvalidInputException>(() => Cka.Rbf(x, y, double.PositiveInfinity));
        var same = new ActivationMatrix("same", new float[5 * 3], 5, 3);
        var ex = Assert.Throws<InvalidInputException>(() => Cka.Rbf(same, same));
        Assert.Contains("median distance", ex.Message);
    }
}
