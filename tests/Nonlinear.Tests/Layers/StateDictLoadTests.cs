using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>LoadStateDict's non-strict mode (torch's missing/unexpected keys), capped key lists, and prefix key maps.</summary>
public class StateDictLoadTests
{
    private static Sequential Mlp(ulong seed) => new(new Linear(4, 8, new Rng(seed)), new ActivationLayer("relu"), new Linear(8, 3, new Rng(seed + 1)));

    [Fact]
    public void NonStrictLoadsCommonKeysAndReturnsTheOthers()
    {
        var source = Mlp(1);
        var target = Mlp(2);
        var state = source.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state.Remove("2.bias");
        state["head.weight"] = Tensor.Zeros(2);
        var before = target.StateDict()["2.bias"].ToArray();
        var result = target.LoadStateDict(state, strict: false);
        Assert.Equal(["2.bias"], result.MissingKeys);
        Assert.Equal(["head.weight"], result.UnexpectedKeys);
        Assert.False(result.IsExactMatch);
        Assert.Equal(source.StateDict()["0.weight"].ToArray(), target.StateDict()["0.weight"].ToArray());
        Assert.Equal(source.StateDict()["2.weight"].ToArray(), target.StateDict()["2.weight"].ToArray());
        // A missing key keeps the module's own value, as in torch.
        Assert.Equal(before, target.StateDict()["2.bias"].ToArray());
    }

    [Fact]
    public void NonStrictStillRefusesAShapeMismatchAndCopiesNothing()
    {
        var target = Mlp(2);
        var before = target.StateDict()["0.weight"].ToArray();
        var state = Mlp(1).StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["2.weight"] = Tensor.Zeros(3, 7);
        var ex = Assert.Throws<InvalidInputException>(() => target.LoadStateDict(state, strict: false));
        Assert.Contains("'2.weight' has shape [3, 7]; expected [3, 8]", ex.Message);
        Assert.Equal(before, target.StateDict()["0.weight"].ToArray());
    }

    /// <summary>400,000 unexpected tensors once made a 3.5 MB error line; the lists are capped at 10 keys each.</summary>
    [Fact]
    public void StrictErrorListsAtMostTenKeysOfEachKind()
    {
        var state = Mlp(1).StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var one = Tensor.Zeros(1);
        for (int i = 0; i < 400_000; i++) state[$"extra.{i}"] = one;
        var ex = Assert.Throws<InvalidInputException>(() => Mlp(2).LoadStateDict(state));
        Assert.Contains("unexpected keys [extra.0, extra.1,", ex.Message);
        Assert.Contains("extra.9 and 399990 more]", ex.Message);
        Assert.DoesNotContain("extra.10,", ex.Message);
        Assert.True(ex.Message.Length < 400, $"{ex.Message.Length} characters");
    }

    [Fact]
    public void KeyMapRewritesByTheFirstMatchingPrefix()
    {
        var map = StateDictKeyMap.Parse(["fc1.=>0.", "fc=>x.", "=>model."]);
        Assert.Equal("0.weight", map.Apply("fc1.weight"));
        Assert.Equal("x.2.bias", map.Apply("fc2.bias"));
        Assert.Equal("model.head.weight", map.Apply("head.weight"));
        Assert.Equal("abc", StateDictKeyMap.Parse([]).Apply("abc"));
    }

    [Fact]
    public void KeyMapRejectsMalformedRulesAndCollisions()
    {
        var ex = Assert.Throws<InvalidInputException>(() => StateDictKeyMap.Parse(["fc1.->0."]));
        Assert.Contains("--map 'fc1.->0.': expected OLD=>NEW", ex.Message);
        var state = new Dictionary<string, Tensor> { ["a.w"] = Tensor.Zeros(1), ["b.w"] = Tensor.Zeros(1) };
        ex = Assert.Throws<InvalidInputException>(() => StateDictKeyMap.Parse(["a.=>c.", "b.=>c."]).Apply(state));
        Assert.Contains("keys 'a.w' and 'b.w' both become 'c.w'", ex.Message);
    }

    [Fact]
    public void KeyMapReadsAJsonFileInOrder()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nl-map-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{\"fc1.\": \"0.\", \"fc\": \"z.\"}");
            var map = StateDictKeyMap.Parse([path]);
            Assert.Equal([("fc1.", "0."), ("fc", "z.")], map.Rules);
            File.WriteAllText(path, "[1, 2]");
            var ex = Assert.Throws<InvalidDataException>(() => StateDictKeyMap.Parse([path]));
            Assert.Contains("expected a JSON object", ex.Message);
            File.WriteAllText(path, "{\"fc1.\": 3}");
            ex = Assert.Throws<InvalidDataException>(() => StateDictKeyMap.Parse([path]));
            Assert.Contains("the value of \"fc1.\" must be a string; got a Number", ex.Message);
        }
        finally { File.Delete(path); }
    }
}
