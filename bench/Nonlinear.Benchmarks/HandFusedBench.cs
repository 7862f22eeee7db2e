using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Issue 3's "a generic-path entry costs no more than 2× a hand-fused one of similar arithmetic": catalog entries run
/// through the generic <see cref="UnaryDriver"/> (one formula over <see cref="ISimdVec{TSelf}"/>) against the same
/// arithmetic hand-written with Vector512 intrinsics in one loop, single thread, forward only.
/// Run: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- handfused-throughput
/// </summary>
public static class HandFusedBench
{
    private const int N = 1 << 22;

    /// <summary>Prints Gelem/s of each pair (median of 9 interleaved runs) and the ratio hand-fused / generic.</summary>
    public static void Throughput()
    {
        if (!Vector512.IsHardwareAccelerated) { Console.WriteLine("handfused-throughput: needs AVX-512 (the hand-fused loops are Vector512)"); return; }
        Parallelism.MaxThreads = 1;
        var rng = new Nonlinear.Tensors.Rng(3);
        var x = new float[N];
        var y = new float[N];
        for (int i = 0; i < N; i++) x[i] = (float)(rng.NextGaussian() * 3);
        var cases = new (string Name, Action Generic, Action Hand)[]
        {
            ("relu_squared", Generic("relu_squared", x, y), () => ReluSquaredHand(x, y)),
            ("squareplus", Generic("squareplus", x, y), () => SquareplusHand(x, y, 4f)),
            ("silu", Generic("silu", x, y), () => SiluHand(x, y)),
        };
        Console.WriteLine($"handfused-throughput: {N} floats, 1 thread, forward, median of 9 (Gelem/s)");
        Console.WriteLine($"{"activation",-13} {"generic",8} {"hand",8} {"hand/generic",13}");
        foreach (var c in cases)
        {
            var g = new double[9];
            var h = new double[9];
            Warm(c.Generic); Warm(c.Hand);
            for (int r = 0; r < 9; r++) { g[r] = Rate(c.Generic); h[r] = Rate(c.Hand); }
            Array.Sort(g); Array.Sort(h);
            Console.WriteLine($"{c.Name,-13} {g[4],8:F2} {h[4],8:F2} {h[4] / g[4],12:F2}x");
        }
    }

    private static Action Generic(string name, float[] x, float[] y)
    {
        var a = ActivationCatalog.Get(name).Create();
        return () => a.Forward(x, y);
    }

    private static void Warm(Action run)
    {
        long t0 = Stopwatch.GetTimestamp();
        do run(); while (Stopwatch.GetElapsedTime(t0).TotalSeconds < 1);
    }

    private static double Rate(Action run)
    {
        long t0 = Stopwatch.GetTimestamp();
        run();
        return N / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
    }

    // The same formulas as the catalog entries, written directly (tails omitted: N is a multiple of 16).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluSquaredHand(float[] xs, float[] ys)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(xs);
        ref float y = ref MemoryMarshal.GetArrayDataReference(ys);
        for (int i = 0; i < xs.Length; i += 16)
        {
            var r = Vector512.Max(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512<float>.Zero);
            (r * r).StoreUnsafe(ref y, (nuint)i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SquareplusHand(float[] xs, float[] ys, float b)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(xs);
        ref float y = ref MemoryMarshal.GetArrayDataReference(ys);
        var bv = Vector512.Create(b);
        var half = Vector512.Create(0.5f);
        for (int i = 0; i < xs.Length; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref x, (nuint)i);
            var a = Vector512.Abs(v);
            var s = Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512.Create(1e18f)), a, Vector512.Sqrt(Vector512.FusedMultiplyAdd(v, v, bv)));
            // x ≥ 0: (x + s)/2; x < 0: b/(2(s − x)) (no cancellation), as the catalog entry.
            var pos = (v + s) * half;
            var neg = bv * half / (s - v);
            Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), neg, pos).StoreUnsafe(ref y, (nuint)i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiluHand(float[] xs, float[] ys)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(xs);
        ref float y = ref MemoryMarshal.GetArrayDataReference(ys);
        for (int i = 0; i < xs.Length; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref x, (nuint)i);
            // σ(x) from e^−|x| with the BCL's vector exp (a different polynomial, similar arithmetic).
            var e = Vector512.Exp(-Vector512.Abs(v));
            var num = Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), e, Vector512<float>.One);
            (v * (num / (Vector512<float>.One + e))).StoreUnsafe(ref y, (nuint)i);
        }
    }
}
