using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.IO;

/// <summary>Error messages stay one short line: lists are capped, long values cut.</summary>
public class MessageTextTests
{
    [Fact]
    public void ListShowsTheFirstTenThenACount()
    {
        Assert.Equal("a, b", MessageText.List(["a", "b"]));
        var many = Enumerable.Range(0, 400_000).Select(i => $"t{i}");
        Assert.Equal("t0, t1, t2, t3, t4, t5, t6, t7, t8, t9 and 399990 more", MessageText.List(many));
        Assert.Equal(new string('x', 80) + "…", MessageText.List([new string('x', 81)]));
    }

    [Fact]
    public void QuoteCutsLongValues()
    {
        Assert.Equal("'abc'", MessageText.Quote("abc"));
        Assert.Equal("null", MessageText.Quote(null));
        Assert.Equal($"'{new string('y', 80)}…' (81 characters)", MessageText.Quote(new string('y', 81)));
    }

    [Fact]
    public void StateDictWith400kUnexpectedKeysGivesAShortMessage()
    {
        var state = new Dictionary<string, Tensor>();
        for (int i = 0; i < 400_000; i++) state[$"extra.{i}"] = Tensor.Zeros(1);
        var model = new Linear(2, 2, new Rng(1));
        var e = Assert.ThrowsAny<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("missing keys [weight, bias]", e.Message);
        Assert.Contains("unexpected keys [extra.0, extra.1, extra.2, extra.3, extra.4, extra.5, extra.6, extra.7, extra.8, extra.9 and 399990 more]", e.Message);
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
    }
}
