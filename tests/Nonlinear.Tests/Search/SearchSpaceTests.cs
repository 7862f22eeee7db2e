using Nonlinear.Activations;
using Nonlinear.Cli.Search;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Search;

/// <summary>The swish-paper space, the behaviour probe, the mutation and the aging population.</summary>
public sealed class SearchSpaceTests
{
    private static readonly SearchSpace Space = SearchSpace.SwishPaper;

    private static Candidate Find(string formula)
    {
        for (int a = 0; a < Space.Unary.Count; a++)
            for (int b = 0; b < Space.Unary.Count; b++)
                for (int k = 0; k < Space.Binary.Count; k++)
                    if (Space.Formula(new Candidate(a, b, k)) == formula) return new Candidate(a, b, k);
        throw new Xunit.Sdk.XunitException($"'{formula}' is not in the space");
    }

    [Fact]
    public void TheSpaceWritesReadableFormulasAndHoldsThePapersFindings()
    {
        Assert.Equal(24 * 24 * 10, Space.Size);
        // Swish and two of the paper's other top functions (its Table 1/2), as the core unit spells them.
        Find("x*sigmoid(x)");
        Find("sigmoid(x)*x");
        Find("max(x,sigmoid(x))");
        Find("cos(x)-x");
        Find("min(x,sin(x))");
        Assert.Equal("(x^2)-(x+1)", Space.Formula(new Candidate(3, 6, 1)));
    }

    [Fact]
    public void EveryCandidateIsEitherAnActivationOrDiscardedWithAReason()
    {
        int valid = 0;
        var keys = new HashSet<string>();
        for (int a = 0; a < Space.Unary.Count; a++)
            for (int b = 0; b < Space.Unary.Count; b++)
                for (int k = 0; k < Space.Binary.Count; k++)
                {
                    var p = BehaviourProbe.Probe(Space.Formula(new Candidate(a, b, k)));
                    Assert.True((p.Spec is null) == (p.Discarded is not null), p.Formula);
                    if (p.Spec is null) continue;
                    valid++;
                    keys.Add(p.Key!);
                }
        // Measured when written: about half the space is valid, and behaviour merges many of those.
        Assert.InRange(valid, 1000, Space.Size);
        Assert.InRange(keys.Count, 500, valid - 100);
    }

    [Fact]
    public void EqualBehaviourGivesOneKeyAndBadCandidatesAreDiscarded()
    {
        Assert.Equal(BehaviourProbe.Probe("x*sigmoid(x)").Key, BehaviourProbe.Probe("sigmoid(x)*x").Key);
        Assert.Equal(BehaviourProbe.Probe("max(x,x)").Key, BehaviourProbe.Probe("x").Key);
        Assert.NotEqual(BehaviourProbe.Probe("x*sigmoid(x)").Key, BehaviourProbe.Probe("x*sigmoid(1.1*x)").Key);
        Assert.Contains("is NaN", BehaviourProbe.Probe("sqrt(x)+x").Discarded);
        Assert.Equal("constant on the probe points", BehaviourProbe.Probe("x-x+1").Discarded);
    }

    [Fact]
    public void MutationReplacesExactlyOnePrimitive()
    {
        var rng = new Rng(3);
        for (int i = 0; i < 500; i++)
        {
            var c = Space.Random(rng);
            var m = Space.Mutate(c, rng);
            int changed = (c.Unary1 != m.Unary1 ? 1 : 0) + (c.Unary2 != m.Unary2 ? 1 : 0) + (c.Binary != m.Binary ? 1 : 0);
            Assert.Equal(1, changed);
        }
    }

    [Fact]
    public void AgingEvolutionProposesRandomlyThenMutatesTheTournamentWinnerAndDropsTheOldest()
    {
        var evo = new RegularizedEvolution(Space, population: 3, sample: 3, new Rng(1));
        var initial = Enumerable.Range(0, 3).Select(_ => evo.Propose()!.Value).ToArray();
        Assert.Null(evo.Propose());                              // all initial proposals out, none reported
        evo.Report(new Evaluated(initial[0], "a", 0.50));
        evo.Report(new Evaluated(initial[1], "b", 0.90));
        evo.Report(new Evaluated(initial[2], "c", 0.70));
        // With the whole population in the tournament the child is a one-primitive mutation of the best (b).
        var child = evo.Propose()!.Value;
        int diff = (child.Unary1 != initial[1].Unary1 ? 1 : 0) + (child.Unary2 != initial[1].Unary2 ? 1 : 0) + (child.Binary != initial[1].Binary ? 1 : 0);
        Assert.Equal(1, diff);
        evo.Report(new Evaluated(child, "d", 0.1));
        Assert.Equal(["b", "c", "d"], evo.Population.Select(e => e.Formula).ToArray());
    }

    [Fact]
    public void SwishLikeFormsAreRecognisedWithTheirBeta()
    {
        Assert.Equal(1.5, SearchReport.SwishBeta(ActivationCatalog.Parse("x*sigmoid(1.5*x)")));
        Assert.Equal(1.0, SearchReport.SwishBeta(ActivationCatalog.Parse("silu")));
        Assert.Null(SearchReport.SwishBeta(ActivationCatalog.Parse("tanh")));
        Assert.Null(SearchReport.SwishBeta(ActivationCatalog.Parse("relu")));
        Assert.Equal(1.0, SearchReport.SwishBeta(ActivationCatalog.Parse("sigmoid(x)*x")));
        Assert.Null(SearchReport.SwishBeta(ActivationCatalog.Parse("x^2")));
    }
}
