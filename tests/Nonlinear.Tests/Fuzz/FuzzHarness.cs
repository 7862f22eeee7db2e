using System.Diagnostics;
using System.Text;
using Xunit;

namespace Nonlinear.Tests.Fuzz;

/// <summary>What one fuzz run saw: how many inputs were accepted and rejected, and every defect (with the seed, index and input in hex).</summary>
internal sealed record FuzzResult(string Target, ulong Seed, int Accepted, int Rejected, IReadOnlyList<string> Failures);

/// <summary>
/// Runs a parser over mutated inputs and checks the contract every reader and spec parser promises: it either
/// returns, or throws exactly the documented exception type with a non-empty, bounded message — never a
/// NullReferenceException, IndexOutOfRangeException, OverflowException or other type that would show a user
/// a stack trace — and each input finishes within <see cref="PerInput"/> (twice in a row, so a pause of the machine
/// is not blamed on the input) and allocates at most
/// <see cref="MaxAllocatedPerInput"/>. Set NONLINEAR_FUZZ_SEED to explore other seeds; a failure prints the
/// seed, the input index and the input so it can be replayed.
/// </summary>
internal static class FuzzHarness
{
    /// <summary>Mutated inputs per target.</summary>
    public const int Iterations = 10_000;
    /// <summary>Wall time allowed per input: generous for a loaded 2-core machine, far below what a hang or a quadratic blow-up costs.</summary>
    public static readonly TimeSpan PerInput = TimeSpan.FromSeconds(1);
    /// <summary>Bytes one input may allocate; the corpus entries are under 1 kB, so anything near this is an unbounded allocation from a length field.</summary>
    public const long MaxAllocatedPerInput = 32L << 20;
    /// <summary>Longest accepted error message (a formula error quotes the formula, at most 4096 characters).</summary>
    public const int MaxMessageLength = 10_000;
    /// <summary>Wall time for a whole target, after which the run counts as hung.</summary>
    public static readonly TimeSpan WholeRun = TimeSpan.FromSeconds(120);

    /// <summary>The seed of this run: fixed, so CI is reproducible, unless NONLINEAR_FUZZ_SEED overrides it.</summary>
    public static ulong Seed(ulong fixedSeed) =>
        ulong.TryParse(Environment.GetEnvironmentVariable("NONLINEAR_FUZZ_SEED"), out ulong s) ? s : fixedSeed;

    /// <summary>Runs <paramref name="parse"/> on <paramref name="iterations"/> mutations of <paramref name="corpus"/>.</summary>
    public static async Task<FuzzResult> Run(string target, IReadOnlyList<byte[]> corpus, ulong seed, Type expected, Action<byte[], int> parse, int iterations = Iterations)
    {
        var mutator = new Mutator(corpus, seed);
        var failures = new List<string>();
        int accepted = 0, rejected = 0, current = -1;
        byte[] currentInput = [];
        var work = Task.Run(() =>
        {
            for (int i = 0; i < iterations; i++)
            {
                byte[] input = mutator.Input(i);
                current = i;
                currentInput = input;
                long before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                Exception? error = null;
                try { parse(input, i); }
                catch (Exception e) { error = e; }
                clock.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                string? defect = error switch
                {
                    null => null,
                    _ when error.GetType() != expected => $"threw {error.GetType().Name} instead of {expected.Name}: {error}",
                    _ when string.IsNullOrWhiteSpace(error.Message) => "threw with an empty message",
                    _ when error.Message.Length > MaxMessageLength => $"message of {error.Message.Length} characters",
                    _ => null,
                };
                if (clock.Elapsed > PerInput && SlowAgain(parse, input, i) is double again)
                    defect = (defect is null ? "" : defect + "; ") + $"took {clock.Elapsed.TotalMilliseconds:F0} ms, and {again:F0} ms again";
                if (allocated > MaxAllocatedPerInput) defect = (defect is null ? "" : defect + "; ") + $"allocated {allocated:N0} bytes";
                if (defect is not null) failures.Add(Describe(target, seed, i, input, defect));
                else if (error is null) accepted++;
                else rejected++;
            }
        });
        try { await work.WaitAsync(WholeRun); }
        catch (TimeoutException)
        {
            failures.Add(Describe(target, seed, current, currentInput, $"still running after {WholeRun.TotalSeconds} s (hang?)"));
        }
        return new FuzzResult(target, seed, accepted, rejected, failures);
    }

    // A slow input is slow every time; a pause of a loaded machine (six engineers share 2 cores) is not.
    private static double? SlowAgain(Action<byte[], int> parse, byte[] input, int index)
    {
        var clock = Stopwatch.StartNew();
        try { parse(input, index); }
        catch (Exception) { }          // the first run already judged the exception
        return clock.Elapsed > PerInput ? clock.Elapsed.TotalMilliseconds : null;
    }

    /// <summary>Fails with the first defects (each replayable), and checks both outcomes occurred so the run tested something.</summary>
    public static void AssertClean(FuzzResult r)
    {
        if (r.Failures.Count > 0)
            Assert.Fail($"{r.Target}: {r.Failures.Count} of {r.Accepted + r.Rejected + r.Failures.Count} inputs broke the contract; first ones:\n" +
                string.Join("\n", r.Failures.Take(3)));
        // A corpus the mutator never breaks, or never leaves valid, would make this test vacuous.
        Assert.True(r.Accepted > 0, $"{r.Target}: no mutated input was accepted ({r.Rejected} rejected); the corpus or target is wrong.");
        Assert.True(r.Rejected > 0, $"{r.Target}: no mutated input was rejected ({r.Accepted} accepted); the mutator does nothing.");
    }

    internal static string Describe(string target, ulong seed, int index, byte[] input, string defect) =>
        $"{target} seed {seed} input {index} ({input.Length} bytes): {defect}\n  input hex: {Convert.ToHexString(input)}\n  as text: {Printable(input)}";

    private static string Printable(byte[] input)
    {
        var sb = new StringBuilder();
        foreach (byte b in input.Take(400)) sb.Append(b is >= 32 and < 127 ? (char)b : '.');
        return sb.ToString();
    }

    /// <summary>The corpus files of <c>fixtures/fuzz</c> matching <paramref name="pattern"/>.</summary>
    public static List<byte[]> Corpus(string pattern)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "fuzz");
        var files = Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        return files.Select(File.ReadAllBytes).ToList();
    }

    /// <summary>The lines of a text corpus file, as UTF-8 bytes.</summary>
    public static List<byte[]> Lines(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "fuzz", file);
        return File.ReadAllLines(path).Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes).ToList();
    }
}
