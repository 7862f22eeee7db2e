using System.Diagnostics;
using Nonlinear.Interpret.Sae;
using Nonlinear.Kernels;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// One SAE training step (d_in 256, d_sae 4096, batch 4096, as ../shared/peers/sae_topk.py): zero grads, forward,
/// loss, hand-written backward, decoder-gradient projection, Adam, row renormalisation, on the same synthetic
/// activations as the peer (20 of 8192 unit features with Exp(1) magnitudes + 0.05 noise, scaled to E|x|² = 256;
/// our Rng, not torch's, so the numbers are the same distribution, not the same bits), and the no-grad encode.
/// `dotnet run -c Release --project bench/Nonlinear.Benchmarks -- sae 2 [standard,topk,batchtopk,jumprelu]`.
/// Prints per architecture the median step time (min, max over the repeats) and samples/s.
/// </summary>
public static class SaeBench
{
    public const int DIn = 256, DSae = 4096, Batch = 4096, K = 32;

    public static void Run(int threads, string[]? archs, int repeats = 7)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads={threads} tier={Simd.Best} d_in={DIn} d_sae={DSae} batch={Batch} k={K}");
        var x = Synthetic(new Rng(1), Batch);
        foreach (var name in archs ?? ["standard", "topk", "batchtopk", "jumprelu"])
        {
            var arch = SaeArchitecture.Parse(name);
            // Peer settings: l1 = l0 = 1, bandwidth 0.001, no AuxK (the peer has none), Adam lr 1e-4.
            var cfg = new SaeConfig(arch, DIn, DSae, DIn, K) { SparsityCoefficient = 1.0, AuxKCoefficient = 0 };
            var sae = SparseAutoencoder.Create(cfg, 0);
            var p = sae.Params;
            var g = new SaeParams<float>(cfg);
            var adam = new Adam(p.Names.Select(n => Tensor.FromArray(p[n], SaeParams<float>.Shape(cfg, n))
                .WithGrad(Tensor.FromArray(g[n], SaeParams<float>.Shape(cfg, n)))).ToList(), 1e-4);
            var step = sae.NewStep();
            step.G = g;
            void Train()
            {
                g.Clear();
                step.SetBatch(x, default, Batch);
                arch.Loss(step);
                if (arch.UnitNormDecoder) SaeTrainer.ProjectDecoderGrad(p.WDec, g.WDec, DSae, DIn);
                adam.Step();
                if (arch.UnitNormDecoder) SaeTrainer.NormalizeRows(p.WDec, DSae, DIn);
            }
            var train = Time(Train, repeats);
            var enc = sae.NewStep();
            void Encode() { enc.SetBatch(x, default, Batch); arch.Encode(enc); }
            var encode = Time(Encode, repeats);
            Console.WriteLine($"{name,-10} train {train.Median * 1e3,8:0.0} ms/step ({train.Min * 1e3:0.0}..{train.Max * 1e3:0.0}) {Batch / train.Median,9:0} samples/s   " +
                $"encode {encode.Median * 1e3,7:0.0} ms {Batch / encode.Median,9:0} samples/s   L0 {(double)step.Codes.NonZeros / Batch,7:0.0}");
        }
    }

    private static Tensor WithGrad(this Tensor t, Tensor grad) { t.Grad = grad; return t; }

    private static (double Median, double Min, double Max) Time(Action body, int repeats)
    {
        body();   // warm-up: JIT and buffers
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            body();
            times[r] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return (times[repeats / 2], times[0], times[^1]);
    }

    /// <summary>The peer's synthetic activations (see the peer's docstring), drawn with our Rng.</summary>
    internal static float[] Synthetic(Rng rng, int n, int features = 8192, int active = 20, double noise = 0.05)
    {
        var dict = new float[features * DIn];
        for (int f = 0; f < features; f++)
        {
            double ss = 0;
            for (int j = 0; j < DIn; j++) { dict[f * DIn + j] = (float)rng.NextGaussian(); ss += dict[f * DIn + j] * (double)dict[f * DIn + j]; }
            float inv = (float)(1 / Math.Sqrt(ss));
            for (int j = 0; j < DIn; j++) dict[f * DIn + j] *= inv;
        }
        double scale = Math.Sqrt(DIn / (2.0 * active + DIn * noise * noise));
        var x = new float[n * DIn];
        for (int r = 0; r < n; r++)
        {
            var row = x.AsSpan(r * DIn, DIn);
            for (int a = 0; a < active; a++)
            {
                int f = rng.NextInt(features);
                float c = (float)-Math.Log(1 - rng.NextDouble());
                for (int j = 0; j < DIn; j++) row[j] += c * dict[f * DIn + j];
            }
            for (int j = 0; j < DIn; j++) row[j] = (float)((row[j] + noise * rng.NextGaussian()) * scale);
        }
        return x;
    }
}
