using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>The persistent-worker hand-off behind <see cref="Parallelism.For"/>.</summary>
public class ParallelismTests
{
    private static void WithThreads(int threads, Action body)
    {
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try { body(); }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 37)]
    [InlineData(3, 5)]
    [InlineData(8, 1000)]
    public void EveryChunkRunsExactlyOnce(int threads, int chunks)
    {
        WithThreads(threads, () =>
        {
            for (int round = 0; round < 50; round++)
            {
                var hits = new int[chunks];
                Parallelism.For(chunks, i => Interlocked.Increment(ref hits[i]));
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        });
    }

    [Fact]
    public void ChunkExceptionIsRethrownAsItselfNotWrapped()
    {
        // InvalidInputException and friends must reach the CLI as themselves, not inside an AggregateException.
        WithThreads(2, () =>
        {
            var ex = Assert.Throws<InvalidOperationException>(() => Parallelism.For(2, i =>
            {
                if (i == 1) throw new InvalidOperationException("chunk 1");
            }));
            Assert.Equal("chunk 1", ex.Message);
            // The pool is usable again after a failed job.
            var hits = new int[4];
            Parallelism.For(4, i => hits[i]++);
            Assert.Equal(new[] { 1, 1, 1, 1 }, hits);
        });
    }

    [Fact]
    public void NestedCallsRunInsideTheOuterChunk()
    {
        WithThreads(2, () =>
        {
            var sums = new long[4];
            Parallelism.For(4, i => Parallelism.For(10, j => Interlocked.Add(ref sums[i], j + 1)));
            Assert.Equal(new long[] { 55, 55, 55, 55 }, sums);
        });
    }

    [Fact]
    public void ConcurrentCallersEachGetAllTheirChunks()
    {
        // A second caller while the workers serve the first must neither wait for nor steal the first one's job.
        WithThreads(2, () =>
        {
            var totals = new long[4];
            var callers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                for (int round = 0; round < 200; round++)
                    Parallelism.For(8, i => Interlocked.Add(ref totals[t], i + 1));
            })).ToArray();
            foreach (var c in callers) c.Start();
            foreach (var c in callers) c.Join();
            Assert.All(totals, s => Assert.Equal(200L * 36, s));
        });
    }
}
