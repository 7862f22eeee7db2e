using System.Security.Cryptography;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// `act-ulp NAME[,NAME…] [lo hi] [tier] [stride]`: every float x in [lo, hi] (by bit pattern, both signs; every stride-th
/// pattern when stride &gt; 1) through the catalog kernel's forward and backward (dy = 1) at one SIMD tier, against the
/// entry's double references. Prints the largest error in ulps of the reference (references of at least 2⁻¹²⁶ in
/// magnitude; below, the largest absolute error in units of 2⁻¹⁴⁹), where it occurs, and a SHA-256 of all output bits,
/// so that two builds (or two tiers) can be compared bit for bit over the same sweep. The backward line also gives the
/// largest absolute error in units of 2⁻²⁴, the part of the contract that holds where f′ crosses zero (gelu near −0.75).
/// </summary>
public static class ActivationUlpSweep
{
    private const int Chunk = 1 << 16;
    private const double MinNormal = 1.1754943508222875e-38;

    public static void Run(string[] args, int threads)
    {
        string[] names = args.Length > 1 ? args[1].Split(',') : ["gelu"];
        float lo = args.Length > 3 ? float.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : -15f;
        float hi = args.Length > 3 ? float.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 15f;
        var tier = args.Length > 4 ? Enum.Parse<SimdTier>(args[4]) : SimdTier.Auto;
        int stride = args.Length > 5 ? int.Parse(args[5]) : 1;
        Parallelism.MaxThreads = 1; // the sweep's own chunks run in parallel; each kernel call stays on its thread
        foreach (var name in names) Sweep(name, lo, hi, tier, stride, threads);
    }

    private sealed class Result
    {
        public double Fwd, FwdAt, FwdSub, Bwd, BwdAt, BwdSub, BwdAbs;
        public long FusedMismatches;
        public void Merge(Result o)
        {
            FusedMismatches += o.FusedMismatches;
            if (o.Fwd > Fwd) (Fwd, FwdAt) = (o.Fwd, o.FwdAt);
            if (o.Bwd > Bwd) (Bwd, BwdAt) = (o.Bwd, o.BwdAt);
            FwdSub = Math.Max(FwdSub, o.FwdSub);
            BwdSub = Math.Max(BwdSub, o.BwdSub);
            BwdAbs = Math.Max(BwdAbs, o.BwdAbs);
        }
    }

    private static void Sweep(string name, float lo, float hi, SimdTier tier, int stride, int threads)
    {
        var act = ActivationCatalog.Get(name).Create();
        var uses = act.Info.Uses;
        // The patterns of [lo, hi] as ascending keys: negative floats map below the positive ones.
        long k0 = Key(lo), k1 = Key(hi);
        long count = (k1 - k0) / stride + 1, chunks = (count + Chunk - 1) / Chunk;
        var total = new Result();
        var hashes = new byte[chunks][];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0L, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new Result(), (c, _, local) =>
        {
            int n = (int)Math.Min(Chunk, count - c * Chunk);
            var x = new float[n];
            var y = new float[n];
            var dy = new float[n];
            var dx = new float[n];
            for (int i = 0; i < n; i++) { x[i] = FromKey(k0 + (c * Chunk + i) * stride); dy[i] = 1f; }
            act.Forward(x, y, tier);
            act.Backward(uses == BackwardUses.Output ? default : x, uses == BackwardUses.Input ? default : y, dy, dx, tier);
            // The one-pass path Apply takes when recording must give the same bits (dy = 1: dx is f′).
            var yf = new float[n];
            var df = new float[n];
            act.ForwardWithDerivative(x, yf, df, tier);
            for (int i = 0; i < n; i++)
            {
                if (BitConverter.SingleToInt32Bits(yf[i]) != BitConverter.SingleToInt32Bits(y[i])
                    || BitConverter.SingleToInt32Bits(df[i]) != BitConverter.SingleToInt32Bits(dx[i])) local.FusedMismatches++;
                Measure(y[i], act.Reference(x[i]), x[i], ref local.Fwd, ref local.FwdAt, ref local.FwdSub);
                double d = act.ReferenceDerivative(x[i]);
                Measure(dx[i], d, x[i], ref local.Bwd, ref local.BwdAt, ref local.BwdSub);
                if (double.IsFinite(d)) local.BwdAbs = Math.Max(local.BwdAbs, Math.Abs(dx[i] - d) * 16777216.0);
            }
            var bytes = new byte[8 * n];
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan()).CopyTo(bytes);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(dx.AsSpan()).CopyTo(bytes.AsSpan(4 * n));
            hashes[c] = SHA256.HashData(bytes);
            return local;
        }, local => { lock (total) total.Merge(local); });
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var h in hashes) all.AppendData(h);
        Console.WriteLine($"{name} [{lo}, {hi}] tier {Simd.Resolve(tier)}, {count} floats (stride {stride}), {sw.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"  forward : max {total.Fwd:F3} ulp at x = {total.FwdAt:R}; subnormal results within {total.FwdSub:F1}·2^-149");
        Console.WriteLine($"  backward: max {total.Bwd:F3} ulp at x = {total.BwdAt:R}; subnormal results within {total.BwdSub:F1}·2^-149; max absolute error {total.BwdAbs:F3}·2^-24");
        Console.WriteLine($"  sha256 of forward and backward bits: {Convert.ToHexString(all.GetHashAndReset())[..32]}");
        Console.WriteLine($"  one-pass y and f′ ({(act.FusesDerivative ? "fused" : "two kernels")}): {total.FusedMismatches} floats differ from the separate kernels' bits");
    }

    private static void Measure(float got, double want, float x, ref double worst, ref double at, ref double sub)
    {
        if (double.IsNaN(want) || double.IsInfinity(want) || float.IsNaN(got) || float.IsInfinity(got))
        {
            if (!(double.IsNaN(want) && float.IsNaN(got)) && (double)got != want) { worst = double.PositiveInfinity; at = x; }
            return;
        }
        double err = Math.Abs(got - want);
        if (Math.Abs(want) < MinNormal) { sub = Math.Max(sub, err / Math.ScaleB(1.0, -149)); return; }
        err /= Math.ScaleB(1.0, Math.ILogB(want) - 23);
        if (err > worst) { worst = err; at = x; }
    }

    // Keys order floats by value: non-negative patterns keep their bits, negative ones map to −bits − 1 (−0 just below +0).
    private static long Key(float v)
    {
        int b = BitConverter.SingleToInt32Bits(v);
        return b >= 0 ? b : -(long)(b & 0x7FFFFFFF) - 1;
    }

    private static float FromKey(long k) =>
        k >= 0 ? BitConverter.Int32BitsToSingle((int)k) : BitConverter.Int32BitsToSingle((int)((-k - 1) | 0x80000000L));
}
