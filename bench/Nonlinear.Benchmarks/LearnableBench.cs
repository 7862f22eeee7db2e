using System.Diagnostics;
using Nonlinear.Kernels;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Learnable-activation throughput on 16M floats, the peers' rational.py workload: PAU (5,4) safe with the peer's
/// coefficients, x ~ 3·N(0,1); forward, and forward + backward producing dx and every coefficient gradient. "kernel"
/// rows time the span driver on preallocated buffers; "module" rows time the autograd path as the peer does
/// (fresh output tensors, tape, leaf-gradient accumulation). Snake (per layer, a = 1) and PReLU likewise.
/// </summary>
public static class LearnableBench
{
    private const int N = 16 * 1024 * 1024;

    public static void Throughput(int threads)
    {
        Parallelism.MaxThreads = threads;
        var rng = new Rng(0);
        var x = new float[N];
        var dy = new float[N];
        for (int i = 0; i < N; i++) { x[i] = (float)(3 * rng.NextGaussian()); dy[i] = (float)rng.NextGaussian(); }
        var y = new float[N];
        var dx = new float[N];
        Console.WriteLine($"learnable-throughput: {N} floats, {threads} thread(s), SIMD {Simd.Best}, median of 7 (ms and Gelem/s)");
        float[] pau = [0.03f, 0.5f, 0.8f, 0.4f, 0.05f, 0.01f, 0.6f, 0.9f, 0.05f, 0.02f];
        Kernel("pau(5,4) safe", new RationalKernel(5, 4, RationalForm.Safe), pau, x, y, dy, dx);
        Kernel("snake", default(SnakeKernel), [1f], x, y, dy, dx);
        Kernel("snake_beta", default(SnakeBetaKernel), [1f, 1f], x, y, dy, dx);
        Kernel("prelu", default(PreluKernel), [0.25f], x, y, dy, dx);
        Kernel("sau", default(SauKernel), [0.01f, 1f], x, y, dy, dx);
        Kernel("apa (aglu)", new ApaKernel(true), [1f, 1f], x, y, dy, dx);
        Module("pau(5,4) safe", new Rational(pau[..6], pau[6..]), x, dy);
        Module("snake", new Snake(1, 1f), x, dy);
        Module("prelu", new PRelu(), x, dy);
    }

    private static void Kernel<K>(string name, K k, float[] theta, float[] x, float[] y, float[] dy, float[] dx) where K : struct, ILearnableKernel
    {
        var dTheta = new float[theta.Length];
        double f = Median(() => LearnableDriver.Forward(k, x, y, theta, 1, 1));
        double fb = Median(() => { LearnableDriver.Forward(k, x, y, theta, 1, 1); LearnableDriver.Backward(k, x, dy, dx, theta, 1, 1, dTheta); });
        Print("kernel", name, f, fb);
    }

    private static void Module(string name, Nonlinear.Layers.Module m, float[] xs, float[] gs)
    {
        var x = Tensor.FromArray(xs, N);
        var xr = Tensor.FromArray(xs, N).RequireGrad();
        var g = Tensor.FromArray(gs, N);
        double f = Median(() => { using var _ = Autodiff.Autograd.NoGrad(); m.Forward(x); });
        double fb = Median(() => { xr.Grad = null; m.ZeroGrad(true); m.Forward(xr).Backward(g); });
        Print("module", name, f, fb);
    }

    private static void Print(string kind, string name, double f, double fb) =>
        Console.WriteLine($"{kind,-6} {name,-14} fwd {f * 1e3,8:F2} ms {N / f / 1e9,6:F3} Gelem/s   fwd+bwd {fb * 1e3,8:F2} ms {N / fb / 1e9,6:F3} Gelem/s");

    private static double Median(Action run)
    {
        long w0 = Stopwatch.GetTimestamp();
        do run(); while (Stopwatch.GetElapsedTime(w0).TotalSeconds < 1.5);
        var t = new double[7];
        for (int i = 0; i < t.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            t[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(t);
        return t[t.Length / 2];
    }
}
