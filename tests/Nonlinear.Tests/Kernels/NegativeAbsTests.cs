using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>VMath.NegativeAbs (one OR) gives the bits of −Abs(x) (an AND and an XOR) for every input, on every tier.</summary>
public class NegativeAbsTests
{
    private struct NegativeAbsFn : VMathAccuracyTests.IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.NegativeAbs(x); }
    private struct MinusAbsFn : VMathAccuracyTests.IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => -V.Abs(x); }

    [Fact]
    public void SameBitsAsMinusAbsForRandomPatternsAndSpecials()
    {
        var rng = new Nonlinear.Tensors.Rng(17);
        // Random bit patterns cover NaN payloads of both signs, subnormals and infinities as well as ordinary floats.
        var x = Enumerable.Range(0, 20_000).Select(_ => BitConverter.Int32BitsToSingle((int)rng.NextUInt64()))
            .Concat([0f, -0f, float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon])
            .ToArray();
        foreach (var tier in VMathAccuracyTests.Tiers)
        {
            var got = VMathAccuracyTests.Run<NegativeAbsFn>(tier, x);
            var want = VMathAccuracyTests.Run<MinusAbsFn>(tier, x);
            for (int i = 0; i < x.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(got[i]) == BitConverter.SingleToInt32Bits(want[i]),
                    $"{tier}: x bits {BitConverter.SingleToInt32Bits(x[i]):X8}: {BitConverter.SingleToInt32Bits(got[i]):X8} vs {BitConverter.SingleToInt32Bits(want[i]):X8}");
            Assert.All(got, v => Assert.True(BitConverter.SingleToInt32Bits(v) < 0, "the sign bit is set"));
        }
    }
}
