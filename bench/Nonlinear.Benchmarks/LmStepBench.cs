using System.Diagnostics;
using Nonlinear.Kernels;
using Nonlinear.Layers.Transformer;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// One training step of the character GPT as ../shared/peers/gpt_char.py times it: 4 layers × 128 wide, 4 heads,
/// ctx 128, batch 32 (4,096 tokens), vocab 96, tied head, learned positions, LayerNorm, AdamW lr 3e-4, betas
/// (0.9, 0.95), decay 0.1 on rank-2 parameters, no clipping, one fixed batch of random ids (our Rng, not torch's).
/// `dotnet bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll lm-step 2 [gelu,swiglu] [repeats]`.
/// Prints per MLP kind the median step (min..max), tokens/s, and the median of its parts: forward (recording the
/// tape), backward, optimiser; the median process CPU time of a step (user + system, all threads: on a shared machine it
/// moves less than the wall time, though spinning workers count in it); then the no-grad forward (inference tokens/s);
/// then per training step the minor page faults (/proc/self/stat), the GC collections (gen0/1/2) and the MB allocated.
/// Forward and backward run in a <see cref="TensorArena"/> scope as `lm train` does; LM_ARENA=0 turns it off (A/B).
/// </summary>
public static class LmStepBench
{
    public const int Batch = 32, Context = 128, Vocab = 96;

    public static void Run(int threads, string[]? mlps, int repeats = 7)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads={threads} tier={Simd.Best} gpt 4x128 heads=4 ctx={Context} batch={Batch} vocab={Vocab}");
        var rng = new Rng(0);
        var ids = new int[Batch * (Context + 1)];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(Vocab);
        var x = new int[Batch * Context];
        var y = new int[Batch * Context];
        for (int b = 0; b < Batch; b++)
        {
            Array.Copy(ids, b * (Context + 1), x, b * Context, Context);
            Array.Copy(ids, b * (Context + 1) + 1, y, b * Context, Context);
        }
        foreach (var name in mlps ?? ["gelu", "swiglu"])
        {
            var config = new TransformerConfig(Vocab, 4, 128, 4, Context) { Mlp = MlpSpec.Parse(name) };
            var model = new DecoderTransformer(config, new Rng(0));
            var ps = model.Parameters().ToList();
            var decay = new AdamW(ps.Where(p => p.Rank >= 2), 3e-4, (0.9, 0.95), 1e-8, 0.1);
            var noDecay = new AdamW(ps.Where(p => p.Rank < 2), 3e-4, (0.9, 0.95), 1e-8, 0);
            model.Train();
            var arena = Environment.GetEnvironmentVariable("LM_ARENA") == "0" ? null : new TensorArena();
            double fwd = 0, bwd = 0, opt = 0;
            void Step()
            {
                var sw = Stopwatch.StartNew();
                decay.ZeroGrad();
                noDecay.ZeroGrad();
                var scope = arena?.Enter();
                var loss = Loss.CrossEntropy(Ops.Reshape(model.Logits(x, Batch, Context), Batch * Context, -1), y);
                fwd = sw.Elapsed.TotalSeconds;
                loss.Backward();
                scope?.Dispose();
                bwd = sw.Elapsed.TotalSeconds - fwd;
                decay.Step();
                noDecay.Step();
                opt = sw.Elapsed.TotalSeconds - fwd - bwd;
            }
            Step();
            var times = new double[repeats];
            var cpu = new double[repeats];
            var proc = Process.GetCurrentProcess();
            var parts = new double[3][];
            for (int k = 0; k < 3; k++) parts[k] = new double[repeats];
            long faults0 = MinorFaults(), bytes0 = GC.GetTotalAllocatedBytes();
            int[] gc0 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            for (int r = 0; r < repeats; r++)
            {
                proc.Refresh();
                var cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                Step();
                times[r] = sw.Elapsed.TotalSeconds;
                proc.Refresh();
                cpu[r] = (proc.TotalProcessorTime - cpu0).TotalSeconds;
                parts[0][r] = fwd; parts[1][r] = bwd; parts[2][r] = opt;
            }
            double perStep = 1.0 / repeats;
            string memory = $"faults/step {(MinorFaults() - faults0) * perStep:0}  gc0/1/2 per step {(GC.CollectionCount(0) - gc0[0]) * perStep:0.0}/" +
                $"{(GC.CollectionCount(1) - gc0[1]) * perStep:0.0}/{(GC.CollectionCount(2) - gc0[2]) * perStep:0.0}  " +
                $"alloc {(GC.GetTotalAllocatedBytes() - bytes0) * perStep / 1e6:0} MB/step  arena {(arena is null ? "off" : $"{arena.OwnedBytes / 1e6:0} MB")}";
            var infer = new double[repeats];
            model.Eval();
            using (Autodiff.Autograd.NoGrad())
            {
                model.Logits(x, Batch, Context);
                for (int r = 0; r < repeats; r++)
                {
                    var sw = Stopwatch.StartNew();
                    model.Logits(x, Batch, Context);
                    infer[r] = sw.Elapsed.TotalSeconds;
                }
            }
            double med = Median(times);
            Console.WriteLine($"{name,-8} train {med * 1e3,7:0.0} ms/step ({times.Min() * 1e3:0.0}..{times.Max() * 1e3:0.0}) {Batch * Context / med,8:0} tok/s" +
                $"  cpu {Median(cpu) * 1e3:0} ms/step  [fwd {Median(parts[0]) * 1e3:0.0} bwd {Median(parts[1]) * 1e3:0.0} opt {Median(parts[2]) * 1e3:0.0} ms]" +
                $"  infer {Median(infer) * 1e3,6:0.0} ms {Batch * Context / Median(infer),8:0} tok/s  params {ps.Sum(p => p.Length)}");
            Console.WriteLine($"{"",-8} {memory}");
        }
    }

    // Minor page faults of this process so far: field 10 of /proc/self/stat (after the parenthesised command name).
    private static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    private static double Median(double[] v)
    {
        var s = (double[])v.Clone();
        Array.Sort(s);
        return s[s.Length / 2];
    }
}
