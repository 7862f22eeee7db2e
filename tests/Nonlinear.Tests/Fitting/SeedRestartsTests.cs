using Nonlinear.Kernels;
using Nonlinear.Optim;
using Xunit;

namespace Nonlinear.Tests.Fitting;

/// <summary>Restarts: seeds per base seed, choice by the validation value only, the thread budget restored.</summary>
public class SeedRestartsTests
{
    [Fact]
    public void BestIsTheLowestValidationAndSeedsAreDisjointPerBase()
    {
        int before = Parallelism.MaxThreads;
        // The "test" value is deliberately anti-correlated with validation: the choice must follow validation.
        var runs = SeedRestarts.Run(4, 3, seed => (Val: Math.Abs((double)seed - 13.2), Test: -(double)seed), r => r.Val);
        Assert.Equal(new ulong[] { 12, 13, 14, 15 }, runs.Select(r => r.Seed).Order());
        Assert.Equal(13UL, runs[0].Seed);
        Assert.Equal(before, Parallelism.MaxThreads);
        Assert.Empty(SeedRestarts.Run(4, 2, s => s, s => 0).Select(r => r.Seed).Intersect(runs.Select(r => r.Seed)));
    }

    [Fact]
    public void NaNValidationRanksLast()
    {
        var runs = SeedRestarts.Run(3, 0, seed => seed == 0 ? double.NaN : seed, v => v);
        Assert.Equal(1UL, runs[0].Seed);
        Assert.Equal(0UL, runs[^1].Seed);
        Assert.Equal(double.PositiveInfinity, runs[^1].Validation);
    }
}
