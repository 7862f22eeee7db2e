using Xunit;

namespace Nonlinear.Tests.Fuzz;

/// <summary>The fuzz harness itself: it must catch a wrong exception type and report a replayable input, and the mutator must be deterministic.</summary>
public sealed class FuzzHarnessTests
{
    [Fact]
    public async Task ReportsWrongExceptionTypeWithSeedAndHex()
    {
        byte[][] corpus = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]];
        // A "parser" with an indexing bug: any input shorter than the corpus entry reads past its end.
        var r = await FuzzHarness.Run("buggy", corpus, 42, typeof(InvalidDataException), (input, _) =>
        {
            if (input.Length > 12) throw new InvalidDataException("too long");
            _ = input[9];
        }, iterations: 200);
        Assert.NotEmpty(r.Failures);
        Assert.StartsWith("buggy seed 42 input ", r.Failures[0]);
        Assert.Contains("threw IndexOutOfRangeException instead of InvalidDataException", r.Failures[0]);
        Assert.Contains("input hex: ", r.Failures[0]);
        Assert.Equal(200, r.Accepted + r.Rejected + r.Failures.Count);
        Assert.True(r.Rejected > 0 && r.Accepted > 0, $"{r.Accepted} accepted, {r.Rejected} rejected");
    }

    [Fact]
    public async Task ReportsEmptyMessagesAndAllocations()
    {
        byte[][] corpus = [[1, 2, 3]];
        var empty = await FuzzHarness.Run("empty", corpus, 1, typeof(InvalidDataException), (_, _) => throw new InvalidDataException(" "), iterations: 3);
        Assert.Equal(3, empty.Failures.Count);
        Assert.Contains("threw with an empty message", empty.Failures[0]);
        var hungry = await FuzzHarness.Run("hungry", corpus, 1, typeof(InvalidDataException), (_, _) => GC.KeepAlive(new byte[FuzzHarness.MaxAllocatedPerInput + 1]), iterations: 2);
        Assert.Equal(2, hungry.Failures.Count);
        Assert.Contains("allocated", hungry.Failures[0]);
    }

    [Fact]
    public async Task ReportsInputsThatAreSlowTwice()
    {
        byte[][] corpus = [[1]];
        var r = await FuzzHarness.Run("slow", corpus, 1, typeof(InvalidDataException),
            (_, _) => Thread.Sleep(FuzzHarness.PerInput + TimeSpan.FromMilliseconds(50)), iterations: 1);
        Assert.Contains("ms, and ", Assert.Single(r.Failures));
        Assert.Contains("ms again", r.Failures[0]);
    }

    [Fact]
    public void MutatorIsDeterministicPerSeedAndIndex()
    {
        byte[][] corpus = [System.Text.Encoding.ASCII.GetBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"), [0, 0, 8, 3, 0, 0, 0, 2]];
        var a = new Mutator(corpus, 7);
        var b = new Mutator(corpus, 7);
        var c = new Mutator(corpus, 8);
        Assert.Equal(a.Input(123), b.Input(123));
        Assert.Equal(a.Input(5), a.Input(5));
        int differ = Enumerable.Range(0, 50).Count(i => !a.Input(i).AsSpan().SequenceEqual(c.Input(i)));
        Assert.True(differ > 40, $"only {differ} of 50 inputs differ between seeds 7 and 8");
    }
}
