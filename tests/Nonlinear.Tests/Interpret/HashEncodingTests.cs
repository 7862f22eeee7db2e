using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Regions;
using Xunit;

namespace Nonlinear.Tests.Interpret;

public sealed class HashEncodingTests
{
    [Fact]
    public void CodesConcatenateLayersBitByBit()
    {
        var l1 = new ActivationMatrix("1", [1, 0, -2, 0.5f, 0, 0], 2, 3);
        var l2 = new ActivationMatrix("3", Enumerable.Range(0, 140).Select(i => i % 3 == 0 ? 1f : 0f).ToArray(), 2, 70);
        var c = ActivationCodes.From([l1, l2]);
        Assert.Equal((2, 73, 2), (c.Inputs, c.Bits, c.Words));
        Assert.True(c[0, 0] && !c[0, 1] && !c[0, 2]);
        Assert.True(c[1, 0] && !c[1, 1]);
        for (int u = 0; u < 70; u++) Assert.Equal(u % 3 == 0, c[0, 3 + u]);
        // Layer 1 agrees (1,0,0 both); in layer 2 input 0 is on at u ≡ 0 (mod 3), 24 units, input 1 at u ≡ 2, 23 units: disjoint.
        Assert.Equal(24 + 23, c.Hamming(0, c, 1));
    }

    [Fact]
    public void RegionsAndNeighboursAreCountedExactly()
    {
        // Train codes (2 units): inputs 0,1 share region 10; 2 alone in 01; 3 alone in 11. Labels 0,0,1,1.
        var train = ActivationCodes.From([new ActivationMatrix("h", [1, 0, 1, 0, 0, 1, 1, 1], 4, 2)]);
        var test = ActivationCodes.From([new ActivationMatrix("h", [1, 0, 0, 1, 0, 0], 3, 2)]);
        var r = HashEncoding.Measure(train, [0, 0, 1, 1], test, [0, 1, 0], classes: 2, k: 1);
        Assert.Equal(3, r.DistinctPatterns);
        Assert.Equal(2.0 / 3, r.SingletonRegionFraction, 15);
        // 1-NN: (1,0) → train 0 (label 0) ✓; (0,1) → train 2 (label 1) ✓; (0,0) → distance 1 to inputs 0,1,2: the first, label 0 ✓.
        Assert.Equal(1.0, r.KnnAccuracy);
    }
}
