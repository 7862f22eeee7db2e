using Nonlinear.Activations;
using Xunit;

namespace Nonlinear.Tests.Activations;

/// <summary>The catalog's public API: enumerate, look up, parse, filter. Written over whatever the catalog holds.</summary>
public class ActivationCatalogApiTests
{
    [Fact]
    public void EveryNameAndAliasFindsItsEntryCaseInsensitively()
    {
        foreach (var e in ActivationCatalog.All)
            foreach (var n in e.Info.Aliases.Prepend(e.Info.Name))
            {
                Assert.Same(e, ActivationCatalog.Get(n));
                Assert.Same(e, ActivationCatalog.Get(" " + n.ToUpperInvariant() + " "));
                Assert.Equal(e.Info.Name, ActivationCatalog.Parse(n).Info.Name);
            }
    }

    [Fact]
    public void EveryEntryRoundTripsThroughToStringAndParse()
    {
        foreach (var e in ActivationCatalog.All)
        {
            var a = e.Create();
            var b = ActivationCatalog.Parse(a.ToString());
            Assert.Equal(a.ToString(), b.ToString());
            Assert.Equal(a.Parameters, b.Parameters);
        }
    }

    [Fact]
    public void ParseReadsPositionalAndNamedParameters()
    {
        Assert.Equal([0.5], ActivationCatalog.Parse("elu(alpha=0.5)").Parameters);
        Assert.Equal([0.2], ActivationCatalog.Parse("leaky_relu(0.2)").Parameters);
        Assert.Equal([0.01], ActivationCatalog.Parse("LeakyReLU()").Parameters);
        Assert.Contains("has no parameter 'beta' (it has: alpha)", Assert.Throws<InvalidInputException>(() => ActivationCatalog.Parse("elu(beta=1)")).Message);
        Assert.Contains("expected a value in [0,", Assert.Throws<InvalidInputException>(() => ActivationCatalog.Parse("elu(-1)")).Message);
        Assert.Contains("'x' is not a number", Assert.Throws<InvalidInputException>(() => ActivationCatalog.Parse("elu(x)")).Message);
    }

    [Fact]
    public void ParseListSplitsOnlyOutsideParentheses()
    {
        var list = ActivationCatalog.ParseList(" relu, elu(alpha=0.5) ,leaky_relu(0.2)");
        Assert.Equal(["relu", "elu(alpha=0.5)", "leaky_relu(negative_slope=0.2)"], list.Select(a => a.ToString()));
        // A multi-parameter entry's own ToString contains ", " and must survive a round trip through a list.
        var multi = ActivationCatalog.All.FirstOrDefault(e => e.Info.Parameters.Count >= 2);
        if (multi is not null)
        {
            string spec = multi.Create().ToString();
            Assert.Equal([spec, "relu"], ActivationCatalog.ParseList(spec + ",relu").Select(a => a.ToString()));
        }
        Assert.Throws<InvalidInputException>(() => ActivationCatalog.ParseList("relu,"));
        Assert.Throws<InvalidInputException>(() => ActivationCatalog.ParseList("elu(alpha=1"));
        Assert.Throws<InvalidInputException>(() => ActivationCatalog.ParseList("elu)alpha=1("));
    }

    [Fact]
    public void FamiliesListEachFamilyOnceAndFilterHonoursThem()
    {
        Assert.Equal(ActivationCatalog.All.Select(e => e.Info.Family).Distinct().Order(), ActivationCatalog.Families.Order());
        foreach (var f in ActivationCatalog.Families)
            Assert.Equal(ActivationCatalog.All.Where(e => e.Info.Family == f), ActivationCatalog.Filter(f.ToUpperInvariant()));
        Assert.Equal(ActivationCatalog.All, ActivationCatalog.Filter());
        var ex = Assert.Throws<InvalidInputException>(() => ActivationCatalog.Filter("spiky"));
        Assert.Contains("unknown family 'spiky'; expected one of " + string.Join(", ", ActivationCatalog.Families), ex.Message);
    }

    [Fact]
    public void FilterByPropertiesKeepsExactlyTheEntriesHavingAllOfThem()
    {
        foreach (var p in Enum.GetValues<ActivationProperties>())
        {
            var want = p | ActivationProperties.Monotonic;
            Assert.Equal(ActivationCatalog.All.Where(e => (e.Info.Properties & want) == want), ActivationCatalog.Filter(null, want));
        }
        Assert.Contains(ActivationCatalog.Get("relu6"), ActivationCatalog.Filter("relu", ActivationProperties.BoundedAbove));
        Assert.DoesNotContain(ActivationCatalog.Get("relu"), ActivationCatalog.Filter("relu", ActivationProperties.BoundedAbove));
    }

    [Theory]
    [InlineData("smooth", ActivationProperties.Smooth)]
    [InlineData("Bounded_Above", ActivationProperties.BoundedAbove)]
    [InlineData("zero-centred", ActivationProperties.ZeroCentred)]
    [InlineData("selfgated", ActivationProperties.SelfGated)]
    public void PropertyNamesParse(string name, ActivationProperties expected) => Assert.Equal(expected, ActivationCatalog.ParseProperty(name));

    [Theory]
    [InlineData("spiky")]
    [InlineData("none")]
    [InlineData("3")]
    [InlineData("")]
    public void UnknownPropertiesAreRejectedWithTheList(string name) =>
        Assert.Contains("expected one of monotonic, smooth", Assert.Throws<InvalidInputException>(() => ActivationCatalog.ParseProperty(name)).Message);
}
