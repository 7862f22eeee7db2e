using Nonlinear.Kan;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// Basis specs ("rbf(centres=12)") and the basis lists of model strings ("kan[rbf]:64"): parse, print back, bounds
/// named in one line; the <see cref="KanOptions"/> presets and per-basis properties as views of <see cref="KanOptions.Bases"/>.
/// </summary>
public sealed class KanBasisSpecTests
{
    [Theory]
    [InlineData("bspline", "bspline")]
    [InlineData(" B-Spline ( grid = 10 , k = 2 ) ", "bspline(grid=10,k=2)")]
    [InlineData("spline(5, 3, -1, 1, 0.3)", "bspline")]
    [InlineData("rbf(centres=12)", "rbf(centres=12)")]
    [InlineData("RBF(8)", "rbf")]
    [InlineData("gaussian()", "rbf")]
    [InlineData("rbf(min=-3.5,max=1e3)", "rbf(min=-3.5,max=1000)")]
    [InlineData("rbf(12, max=3)", "rbf(centres=12,max=3)")]
    [InlineData("fourier(frequencies=3)", "fourier(frequencies=3)")]
    [InlineData("cheby(6)", "chebyshev(degree=6)")]
    [InlineData("bspline(min=-1.0, noise_scale=0.1)", "bspline(noise_scale=0.1)")]
    [InlineData("rbf(min=-0)", "rbf(min=0)")]
    public void ParsesAndPrintsBack(string text, string printed)
    {
        var spec = KanBasisSpec.Parse(text);
        Assert.Equal(printed, spec.ToString());
        var again = KanBasisSpec.Parse(spec.ToString());
        Assert.Equal(spec, again);
        Assert.Equal(spec.GetHashCode(), again.GetHashCode());
    }

    [Fact]
    public void EveryArgumentIsBoundWithItsDefault()
    {
        var spec = KanBasisSpec.Parse("bspline(k=2)");
        Assert.Equal([("grid", 5.0), ("k", 2.0), ("min", -1.0), ("max", 1.0), ("noise_scale", 0.3)], spec.Arguments.Select(a => (a.Key, a.Value)));
        Assert.Equal(KanBasisSpec.Parse("bspline(5,2)"), spec);
        Assert.NotEqual(KanBasisSpec.Parse("bspline"), spec);
        Assert.Equal("bspline(grid=9,k=2)", spec.With("grid", 9).ToString());
        Assert.Equal(["bspline", "rbf", "fourier", "chebyshev"], KanBases.All.Take(4).Select(b => b.Name));
    }

    [Theory]
    [InlineData("rbf(centres=1)", "centres must be an integer in [2, 1000]; got 1")]
    [InlineData("rbf(centres=8.5)", "centres must be an integer in [2, 1000]; got 8.5")]
    [InlineData("rbf(centres=nan)", "argument centres 'nan' is not an integer in [2, 1000]")]
    [InlineData("bspline(grid=1e400)", "argument grid '1e400' is not an integer in [1, 1000]")]
    [InlineData("bspline(min=2e6)", "min must be a number in [-1000000, 1000000]; got 2000000")]
    [InlineData("rbf(width=2)", "rbf has no argument 'width'; expected one of centres, min, max")]
    [InlineData("rbf(centres=8,centres=9)", "argument centres is given twice")]
    [InlineData("rbf(min=2,max=1)", "min must be < max; got [2, 1]")]
    [InlineData("bspline(min=1,max=1)", "min must be < max; got [1, 1]")]
    [InlineData("splin", "unknown KAN basis 'splin'; did you mean")]
    [InlineData("rbf(8", "expected rbf(arg, …) with one pair of parentheses")]
    [InlineData("rbf(8))", "expected rbf(arg, …) with one pair of parentheses")]
    [InlineData("rbf(1,2,3,4)", "4 arguments; rbf takes at most 3")]
    [InlineData("rbf(min=1,2)", "positional argument '2' after a named one")]
    [InlineData("rbf(3,)", "argument min '' is not a number in [-1000000, 1000000]")]
    [InlineData("fourier(3,4)", "2 arguments; fourier takes at most 1")]
    [InlineData("(3)", "expected a basis name such as bspline, rbf, fourier, chebyshev")]
    [InlineData("", "expected a basis name")]
    public void BadSpecsAreNamedInOneLine(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => KanBasisSpec.Parse(text));
        Assert.Contains(fragment, ex.Message);
        Assert.Contains($"KAN basis spec '{text}'", ex.Message);
        Assert.DoesNotContain("\n", ex.Message);
    }

    [Fact]
    public void SpecsLongerThanTheBoundAreRefusedUnread() =>
        Assert.Contains("at most 1024 are read", Assert.Throws<InvalidInputException>(() => KanBasisSpec.Parse("rbf(" + new string(' ', 2000) + ")")).Message);

    [Fact]
    public void PresetsListTheirBasesWithThePapersDefaults()
    {
        Assert.Equal(["bspline"], KanOptions.Pykan.Bases.Select(b => b.ToString()));
        Assert.Equal(["rbf"], KanOptions.FastKan.Bases.Select(b => b.ToString()));
        Assert.Equal(["fourier"], KanOptions.FourierKan.Bases.Select(b => b.ToString()));
        Assert.Equal(["chebyshev"], KanOptions.ChebyKan.Bases.Select(b => b.ToString()));
        Assert.Equal(["bspline", "rbf", "fourier", "chebyshev"], KanOptions.Selectable.Bases.Select(b => b.ToString()));
        Assert.Equal((5, 3, -1.0, 1.0, 0.3), (KanOptions.Pykan.GridSize, KanOptions.Pykan.SplineOrder, KanOptions.Pykan.GridMin, KanOptions.Pykan.GridMax, KanOptions.Pykan.NoiseScale));
        Assert.Equal((8, -2.0, 2.0, 5, 4), (KanOptions.FastKan.RbfCentres, KanOptions.FastKan.RbfMin, KanOptions.FastKan.RbfMax, KanOptions.FourierKan.FourierFrequencies, KanOptions.ChebyKan.ChebyshevDegree));
        Assert.Equal("KanOptions(bases=[bspline,rbf,fourier,chebyshev], base=True, bias=True, layernorm=False)", KanOptions.Selectable.ToString());
    }

    [Fact]
    public void PerBasisPropertiesRebindTheSpecInTheList()
    {
        var o = KanOptions.Pykan with { GridSize = 7, SplineOrder = 2 };
        Assert.Equal("bspline(grid=7,k=2)", Assert.Single(o.Bases).ToString());
        Assert.Equal(o, KanOptions.Pykan with { Bases = [KanBasisSpec.Parse("bspline(grid=7,k=2)")] });
        Assert.Equal("bspline", KanOptions.Pykan.Bases[0].ToString());     // the preset is untouched
        Assert.Equal(5, KanOptions.FastKan.GridSize);                        // not listed: the declared default
        var ex = Assert.Throws<ArgumentException>(() => KanOptions.FastKan with { GridSize = 7 });
        Assert.Contains("bspline argument 'grid' cannot be set: Bases [rbf] lists no bspline basis", ex.Message);
        Assert.Throws<ArgumentException>(() => new KanOptions { Bases = [KanBasisSpec.Parse("rbf"), KanBasisSpec.Parse("gaussian(9)")] });
        Assert.Throws<ArgumentException>(() => new KanOptions { Bases = [] });
    }

    [Fact]
    public void ALayerFromSpecArgumentsEqualsOneFromTheFlatOptions()
    {
        var x = Tensor.FromArray([0.3f, -0.7f, 1.1f, -1.4f, 0.05f, 0.9f], 2, 3);
        var flat = new KanLayer(3, 2, KanOptions.Pykan with { GridSize = 7, SplineOrder = 2, NoiseScale = 2 }, new Rng(5));
        var spec = new KanLayer(3, 2, new KanOptions { Bases = [KanBasisSpec.Parse("bspline(grid=7,k=2,noise_scale=2)")] }, new Rng(5));
        Assert.Equal(flat.Forward(x).ToArray(), spec.Forward(x).ToArray());
        Assert.Equal(9, spec.Coefficients[0].Size(-1));
    }

    [Theory]
    [InlineData("kan[rbf(centres=12)]:64", "kan[rbf(centres=12)]:64", "rbf(centres=12)")]
    [InlineData("KAN [ bspline ] : 4", "kan:4", "bspline")]
    [InlineData("kan[bspline(grid=7)]:4@9", "kan[bspline(grid=7)]:4@9", "bspline(grid=9)")]
    [InlineData("kan-rbf[rbf]:8", "kan-rbf:8", "rbf")]
    [InlineData("skan:32", "skan:32", "bspline,rbf,fourier,chebyshev")]
    [InlineData("skan:3@8", "skan:3@8", "bspline(grid=8),rbf,fourier,chebyshev")]
    [InlineData("skan[fourier(frequencies=3),cheby]:", "skan[fourier(frequencies=3),chebyshev]:", "fourier(frequencies=3),chebyshev")]
    [InlineData("kan-chebyshev", "kan-chebyshev:", "chebyshev")]
    [InlineData("mlp:8", "mlp:8", "")]
    public void ModelStringsCarryTheirBasesAndPrintBack(string text, string printed, string bases)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(printed, spec.ToString());
        Assert.Equal(bases, string.Join(",", spec.Bases));
        var again = ModelSpec.Parse(spec.ToString());
        Assert.Equal(spec, again);
        Assert.Equal(spec.GetHashCode(), again.GetHashCode());
    }

    [Fact]
    public void ABasisListKeepsTheKindsOtherOptions()
    {
        var spec = ModelSpec.Parse("kan-rbf[rbf(centres=5),fourier]:4");
        var o = ((KanKind)spec.Kind).LayerOptions(spec);
        Assert.Equal(["rbf(centres=5)", "fourier"], o.Bases.Select(b => b.ToString()));
        Assert.True(o.LayerNorm && o.Bias);                                          // FastKAN's set-up stays
        Assert.Same(KanOptions.Pykan, ((KanKind)ModelSpec.Parse("kan:4").Kind).LayerOptions(ModelSpec.Parse("kan:4")));
        Assert.NotEqual(ModelSpec.Parse("kan:4"), ModelSpec.Parse("kan[rbf]:4"));
        Assert.NotEqual(ModelSpec.Parse("kan[rbf]:4"), ModelSpec.Parse("kan[rbf(9)]:4"));
        var net = (KanNetwork)spec.Build(3, 2, new Rng(0));
        Assert.Contains(net.NamedParameters(), p => p.Name == "layers.0.coef_rbf" && p.Tensor.Size(-1) == 5);
    }

    [Theory]
    [InlineData("kan[]:4", "empty basis in the list ''")]
    [InlineData("kan[rbf,]:4", "empty basis in the list 'rbf,'")]
    [InlineData("kan[rbf,gaussian(9)]:4", "each basis may be listed once; got [rbf,rbf(centres=9)]")]
    [InlineData("mlp[rbf]:4", "a basis list applies to KAN kinds only")]
    [InlineData("kan[rbf]:4@8", "@G sets the grid size of a B-spline basis; [rbf] has none")]
    [InlineData("kan-rbf:8@4", "@G sets the grid size of a B-spline basis; [rbf] has none")]
    [InlineData("kan[rbf(centres=1)]:4", "centres must be an integer in [2, 1000]; got 1")]
    [InlineData("kan[splin]:4", "unknown KAN basis 'splin'; did you mean")]
    [InlineData("kan[rbf:4", "expected one basis list kind[basis,…] before ':'")]
    [InlineData("kan[rbf]]:4", "expected one basis list kind[basis,…] before ':'")]
    [InlineData("kan]:4", "']' without '['")]
    [InlineData("kan[rbf(]:4", "unbalanced parentheses in the basis list 'rbf('")]
    [InlineData("kan[rbf)(]:4", "unbalanced parentheses in the basis list 'rbf)('")]
    [InlineData("kan[[rbf]]:4", "expected one basis list kind[basis,…] before ':'")]
    [InlineData("kanx[rbf]:4", "unknown model kind 'kanx'")]
    public void BadBasisListsAreNamedInOneLine(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(text));
        Assert.Contains(fragment, ex.Message);
        Assert.Contains("--model '", ex.Message);
        Assert.DoesNotContain("\n", ex.Message);
    }

    [Fact]
    public void AtMost16BasesAreRead()
    {
        string many = "kan[" + string.Join(",", Enumerable.Repeat("rbf", 17)) + "]:4";
        Assert.Contains("more than 16 bases listed", Assert.Throws<InvalidInputException>(() => ModelSpec.Parse(many)).Message);
    }
}
