using System.Diagnostics;
using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Where the time of one <see cref="MlpInferBench"/> forward goes (784-256-256-10 ReLU, under NoGrad):
/// `mlp-infer-parts [threads] [batch]` prints the median µs of the whole forward and of each part run alone on
/// preallocated buffers: the three GEMMs (beta 0 and, as Linear runs them after the bias rows, beta 1), the bias rows,
/// relu over the hidden outputs, and allocating and first writing the five per-call outputs.
/// </summary>
public static class MlpInferParts
{
    public static void Run(int threads, int batch)
    {
        Parallelism.MaxThreads = threads;
        var rng = new Rng(0);
        var layers = new[] { new Linear(784, 256, rng), new Linear(256, 256, rng), new Linear(256, 10, rng) };
        var model = new Sequential(layers[0], new ActivationLayer("relu"), layers[1], new ActivationLayer("relu"), layers[2]);
        var relu = ActivationCatalog.Get("relu").Create();
        var x = Tensor.Rand(new Rng(1), [batch, 784], -1f, 1f);
        var xs = x.ToArray();
        var outs = layers.Select(l => new float[batch * l.OutFeatures]).ToArray();
        var ins = new[] { xs, outs[0], outs[1] };
        var w = layers.Select(l => l.Weight.ToArray()).ToArray();
        var b = layers.Select(l => l.Bias!.ToArray()).ToArray();

        void Gemms(float beta)
        {
            for (int l = 0; l < 3; l++)
                Gemm.Sgemm(false, true, batch, layers[l].OutFeatures, layers[l].InFeatures, 1f, ins[l], layers[l].InFeatures,
                    w[l], layers[l].InFeatures, beta, outs[l], layers[l].OutFeatures);
        }
        void Bias()
        {
            for (int l = 0; l < 3; l++)
            {
                int n = layers[l].OutFeatures;
                for (int r = 0; r < batch; r++) b[l].AsSpan().CopyTo(outs[l].AsSpan(r * n, n));
            }
        }
        void Relu()
        {
            relu.Forward(outs[0], outs[0]);
            relu.Forward(outs[1], outs[1]);
        }
        void Allocate()
        {
            // The five arrays one forward allocates (three Linear outputs, two relu outputs), each written once.
            foreach (int n in new[] { 256, 256, 256, 256, 10 })
                GC.AllocateUninitializedArray<float>(batch * n).AsSpan().Fill(1f);
        }
        void Whole()
        {
            using (Autograd.NoGrad()) model.Forward(x);
        }

        Console.WriteLine($"mlp-infer-parts: batch {batch}, {threads} thread(s), tier {Simd.Best}; median µs of one call (min–max)");
        foreach (var (name, f) in new (string, Action)[]
                 {
                     ("forward", Whole), ("gemm beta=0", () => Gemms(0f)), ("gemm beta=1", () => Gemms(1f)), ("bias rows", Bias),
                     ("relu x2", Relu), ("allocate+write", Allocate), ("forward", Whole),
                 })
        {
            var t = Time(f);
            Console.WriteLine($"  {name,-16} {t[t.Length / 2] * 1e6,9:F1}  ({t[0] * 1e6:F1}–{t[^1] * 1e6:F1})");
        }
    }

    private static double[] Time(Action f)
    {
        int reps = 1;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalMilliseconds < 100) { f(); reps++; }
        reps = Math.Max(1, (int)(reps * 20 / sw.Elapsed.TotalMilliseconds));
        var s = new double[15];
        for (int i = 0; i < s.Length; i++)
        {
            sw.Restart();
            for (int r = 0; r < reps; r++) f();
            s[i] = sw.Elapsed.TotalSeconds / reps;
        }
        Array.Sort(s);
        return s;
    }
}
