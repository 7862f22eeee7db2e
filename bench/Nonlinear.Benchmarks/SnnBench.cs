using System.Diagnostics;
using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Spiking;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// One training step of the spiking MLP 784-1000-10, T = 25 (snn:1000 defaults, as ../shared/peers/snn_lif.py's timed
/// step: zero_grad, forward, Σₜ CE on the output membrane, BPTT, Adam 5e-4) on the first 128 Fashion-MNIST training
/// images (uniform [0, 1) noise when the data set is absent, which fires far more), then the inference at batch 1024,
/// then a breakdown of the step into its parts: the two GEMMs of each Linear and the fused LIF loops (vectorised, and
/// the scalar reference loop for comparison).
/// `dotnet bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll snn-step 2 [spec]`.
/// </summary>
public static class SnnBench
{
    public static void Run(int threads, string spec = "snn:1000", int repeats = 15)
    {
        Parallelism.MaxThreads = threads;
        var (x, y, xi, source) = Inputs();
        var net = (SpikingNetwork)ModelSpec.Parse(spec).Build(784, 10, new Rng(0));
        // SNN_UNFUSED=1: every child through Call (dense GEMM on the spikes, fresh buffers), the before of an A/B.
        bool unfused = Environment.GetEnvironmentVariable("SNN_UNFUSED") == "1";
        net.FuseLayers = !unfused;
        // SNN_ROWS=1: spike gradients row by row inside the BPTT loop; SNN_EVENTS=1: the Linear on the spikes by events.
        // SNN_INLOOP=1: the Linear above the hidden layer inside the LIF loops (forward rows, ∂L/∂S, ∂L/∂W), the other side
        // of the A/B against the default GEMMs after/before the loops (faster on the idle machine, session 8).
        // SNN_FWD / SNN_ROWS / SNN_DW = 0 or 1: each part alone (the forward Linear, ∂L/∂S, ∂L/∂W inside the loops).
        bool inLoop = Environment.GetEnvironmentVariable("SNN_INLOOP") == "1";
        LifLayer.FusedReadout = Switch("SNN_FWD", inLoop);
        LifLayer.RowWiseSpikeGrad = Switch("SNN_ROWS", inLoop);
        LifLayer.InLoopWeightGrad = Switch("SNN_DW", inLoop);
        LifLayer.EventDriven = Environment.GetEnvironmentVariable("SNN_EVENTS") == "1";
        var adam = new Adam(net.Parameters().ToList(), 5e-4f);
        void Step()
        {
            adam.ZeroGrad();
            var (_, loss) = net.ScoresAndLoss(x, y, 0f);
            loss.Backward();
            adam.Step();
        }
        var step = Time(Step, repeats);
        // CPU seconds per step (both threads summed): on a machine shared with other jobs the wall time mostly
        // measures the wait for a core, the CPU time what the step costs.
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        double main0 = ThreadCpuSeconds();
        for (int i = 0; i < repeats; i++) Step();
        proc.Refresh();
        double cpuPerStep = (proc.TotalProcessorTime - cpu0).TotalSeconds / repeats;
        // The caller's own CPU against the whole process's: with 2 threads and no serial phase, about half each.
        double mainPerStep = (ThreadCpuSeconds() - main0) / repeats;
        if (Environment.GetEnvironmentVariable("SNN_STEPS_ONLY") == "1")
        {
            // For whole-process A/B runs: the step figures only.
            Console.WriteLine($"threads={threads} {(unfused ? "unfused" : $"fused (in-loop Linear={LifLayer.FusedReadout}, rows={LifLayer.RowWiseSpikeGrad}, dW={LifLayer.InLoopWeightGrad}, events={LifLayer.EventDriven})")}: train step B=128: {Ms(step)}, CPU {cpuPerStep * 1e3:0.00} ms/step (calling thread {mainPerStep * 1e3:0.00}, workers {(cpuPerStep - mainPerStep) * 1e3:0.00})");
            return;
        }
        var infer = Time(() => { using var _ = Autograd.NoGrad(); net.Call(xi); }, repeats);
        Console.WriteLine($"threads={threads} tier={Simd.Best} {spec} data={source} {(unfused ? "unfused (child by child)" : $"fused LIF→Linear (in-loop Linear={LifLayer.FusedReadout}, rows={LifLayer.RowWiseSpikeGrad}, dW={LifLayer.InLoopWeightGrad}, events={LifLayer.EventDriven})")}");
        Console.WriteLine($"train step B=128: {Ms(step)} ({128 / step.Median:0} samples/s), CPU {cpuPerStep * 1e3:0.00} ms/step; inference B=1024: {Ms(infer)} ({1024 / infer.Median:0} samples/s)");
        Tensor? lossT = null;
        var fwd = Time(() => { adam.ZeroGrad(); lossT = net.ScoresAndLoss(x, y, 0f).Loss; }, repeats);
        var fb = Time(() => { adam.ZeroGrad(); net.ScoresAndLoss(x, y, 0f).Loss.Backward(); }, repeats);
        var opt = Time(adam.Step, repeats);
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long alloc = GC.GetTotalAllocatedBytes();
        for (int i = 0; i < 10; i++) Step();
        Console.WriteLine($"  forward+loss {Ms(fwd)}; forward+backward {Ms(fb)}; Adam step {Ms(opt)}; per step: {(GC.GetTotalAllocatedBytes() - alloc) / 10 / 1e6:0.0} MB allocated, " +
                          $"GCs in 10 steps: gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}");
        Breakdown(net, x, repeats);
    }

    private static void Breakdown(SpikingNetwork net, Tensor x, int repeats)
    {
        var fc1 = (Linear)net.Layers[0];
        var lif1 = (LifLayer)net.Layers[1];
        var fc2 = (Linear)net.Layers[2];
        int T = net.Steps, B = x.Size(0), H = fc1.OutFeatures, C = fc2.OutFeatures;
        Tensor cur1;
        using (Autograd.NoGrad()) cur1 = fc1.Call(x);
        var cfg = LifLoop.Config.From(lif1.Options, T, B, H, constantInput: true);
        var (beta, free) = LifKernel.Job.BetaArrays(lif1.Beta.AsReadOnlySpan());
        var job = new LifKernel.Job
        {
            Config = cfg, Input = cur1.ToArray(), Beta = beta, BetaFree = free, Threshold = lif1.Threshold.ToArray(),
            Spikes = new float[T * B * H], Membrane = new float[T * B * H],
        };
        var gS = Tensor.Rand(new Rng(3), [T * B * H], -1e-3f, 1e-3f).ToArray();
        var grads = new LifKernel.Gradients { Spikes = gS, Input = new float[B * H] };
        LifKernel.Forward(job);
        Console.WriteLine($"  hidden spike rate on this batch: {job.Spikes.Average():P1} of {T * B * H:N0} (step, sample, neuron)");
        var s1 = new Tensor(job.Spikes, [T * B, H]);
        var g2 = Tensor.Rand(new Rng(4), [T * B, C], -1e-3f, 1e-3f);
        var gFc1 = Tensor.Rand(new Rng(5), [B, H], -1e-3f, 1e-3f);
        var wG1 = Tensor.Zeros(H, 784);
        var wG2 = Tensor.Zeros(C, H);
        var yFc2 = Tensor.Zeros(T * B, C);
        var gS1 = Tensor.Zeros(T * B, H);
        var rowGrads = new LifKernel.Gradients { OutGrad = g2.Storage, Weight = fc2.Weight.Contiguous().Storage, Outputs = C, Input = new float[B * H] };
        var inLoopGrads = new LifKernel.Gradients { OutGrad = g2.Storage, Weight = fc2.Weight.Contiguous().Storage, Outputs = C, Input = new float[B * H], WeightGrad = new float[C * H] };
        var readoutJob = new LifKernel.Job
        {
            Config = cfg, Input = job.Input, Beta = beta, BetaFree = free, Threshold = job.Threshold, Spikes = job.Spikes, Membrane = job.Membrane,
            Linear = new LifKernel.Readout { Weight = fc2.Weight.Contiguous().Storage, Bias = fc2.Bias!.Contiguous().Storage, Outputs = C, Output = yFc2.Storage },
        };
        var parts = new (string, Action)[]
        {
            ("fc1 forward  [128,784]·[784,1000]", () => Ops.GemmInto(x, Ops.Transpose(fc1.Weight.Detach(), 0, 1), cur1, 0f)),
            ("LIF1 forward (vector)", () => LifKernel.Forward(job)),
            ("LIF1 forward + fc2 inside the loop", () => LifKernel.Forward(readoutJob)),
            ("LIF1 forward (scalar reference)", () => LifLoop.Forward<float>(cfg, job.Input, lif1.Beta.AsReadOnlySpan(), job.Threshold, job.Spikes, job.Membrane, [])),
            ("fc2 forward  [3200,1000]·[1000,10]", () => Ops.GemmInto(s1, Ops.Transpose(fc2.Weight.Detach(), 0, 1), yFc2, 0f)),
            ("fc2 dX       [3200,10]·[10,1000]", () => Ops.GemmInto(g2, fc2.Weight.Detach(), gS1, 0f)),
            ("fc2 dW       [10,3200]·[3200,1000]", () => Ops.GemmInto(Ops.Transpose(g2, 0, 1), s1, wG2, 1f)),
            ("fc2 forward by events", () => SpikeSparse.Forward(job.Spikes, T * B, H, fc2.Weight.AsReadOnlySpan(), fc2.Bias!.AsReadOnlySpan(), C, yFc2.Storage)),
            ("fc2 dW + db by events", () => SpikeSparse.WeightGrad(job.Spikes, T * B, H, g2.Storage, 0, C, wG2.Storage, new float[C])),
            ("LIF1 backward, rows of G·W inside", () => lif1.Options.Surrogate.TryLifBackward(job, rowGrads)),
            ("LIF1 backward + fc2 dX, dW inside", () => lif1.Options.Surrogate.TryLifBackward(job, inLoopGrads)),
            ("LIF1 backward (vector)", () => lif1.Options.Surrogate.TryLifBackward(job, grads)),
            ("LIF1 backward (scalar reference)", () => LifLoop.Backward<float>(cfg, gS, default, lif1.Beta.AsReadOnlySpan(), job.Threshold, job.Spikes, job.Membrane, [],
                lif1.Options.Surrogate.Derivative, grads.Input, [], [])),
            ("fc1 dW       [1000,128]·[128,784]", () => Ops.GemmInto(Ops.Transpose(gFc1, 0, 1), x, wG1, 1f)),
        };
        foreach (var (name, body) in parts)
        {
            double cpu0 = ThreadCpuSeconds();
            var r = Time(body, repeats);
            // The calling thread's CPU per call (warm-up included): at 1 thread the part's whole cost, unaffected by waiting for a core.
            double cpu = (ThreadCpuSeconds() - cpu0) / (repeats + 1);
            Console.WriteLine($"  {name,-36} {Ms(r)}  calling-thread CPU {cpu * 1e3:0.00} ms");
        }
    }

    private static (Tensor X, int[] Y, Tensor XInfer, string Source) Inputs()
    {
        if (File.Exists(Path.Combine(DataSources.FashionMnistSystemDir, "train-images-idx3-ubyte.gz")))
        {
            var (train, test) = DataSources.Load("fashion-mnist");
            return (Tensor.FromArray(train.Features[..(128 * 784)], 128, 784), train.Labels![..128],
                Tensor.FromArray(test.Features[..(1024 * 784)], 1024, 784), "fashion-mnist");
        }
        var rng = new Rng(1);
        var y = new int[128];
        for (int i = 0; i < 128; i++) y[i] = i % 10;
        return (Tensor.Rand(rng, [128, 784], 0f, 1f), y, Tensor.Rand(rng, [1024, 784], 0f, 1f), "uniform noise (fashion-mnist absent)");
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec, Nsec; }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    // CLOCK_THREAD_CPUTIME_ID (3): the calling thread's CPU time (Linux); NaN elsewhere.
    private static double ThreadCpuSeconds()
    {
        try { return ClockGetTime(3, out var ts) == 0 ? ts.Sec + ts.Nsec * 1e-9 : double.NaN; }
        catch (DllNotFoundException) { return double.NaN; }
        catch (EntryPointNotFoundException) { return double.NaN; }
    }

    private static bool Switch(string name, bool fallback) => Environment.GetEnvironmentVariable(name) is { } v ? v == "1" : fallback;

    private static string Ms((double Median, double Min, double Max) r) => $"{r.Median * 1e3,8:0.00} ms ({r.Min * 1e3:0.00}..{r.Max * 1e3:0.00})";

    private static (double Median, double Min, double Max) Time(Action body, int repeats)
    {
        body();
        var ts = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            body();
            ts[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(ts);
        return (ts[repeats / 2], ts[0], ts[^1]);
    }
}
