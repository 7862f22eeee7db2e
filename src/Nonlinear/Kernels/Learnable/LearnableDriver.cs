using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// Runs an <see cref="ILearnableKernel"/> over a tensor laid out as [outer, channels, inner] with parameters θ packed
/// [P, channels] (one set per channel; channels = 1 for per-layer parameters). Forward is one pass; backward is one
/// pass that writes dx and the parameter gradients dθ (Σ over every position of a channel). Three layouts:
/// channels = 1 (one parameter set: fixed chunks of <see cref="ChunkElements"/>), inner = 1 (channels last: column
/// sums, rows in blocks), otherwise one run of length inner per (outer, channel). Work is split into chunks that
/// depend only on the shape, never on the thread count, and partial sums are combined in chunk order, so dθ is
/// bit-identical for every SIMD tier and every thread count. Scratch comes from <see cref="ArrayPool{T}"/> or the stack.
/// </summary>
internal static unsafe class LearnableDriver
{
    /// <summary>Elements per chunk of the single-parameter-set layout (a multiple of 16).</summary>
    public const int ChunkElements = 1 << 15;
    /// <summary>Largest supported parameter count per channel.</summary>
    public const int MaxParameters = 64;

    /// <summary>y = f(x; θ). x and y may be the same span.</summary>
    public static void Forward<K>(in K kernel, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> theta, int channels, int inner, SimdTier tier = SimdTier.Auto)
        where K : struct, ILearnableKernel
    {
        Check(kernel, x.Length, y.Length, nameof(y), theta.Length, channels, inner);
        K k = kernel;
        int n = x.Length, P = k.ParameterCount;
        var t = Simd.Resolve(tier);
        fixed (float* px = x, py = y, pt = theta)
        {
            nint ax = (nint)px, ay = (nint)py, at = (nint)pt;
            if (channels == 1)
            {
                int chunks = (n + ChunkElements - 1) / ChunkElements;
                Parallelism.For(chunks, j =>
                {
                    Span<float> rep = stackalloc float[P * 16];
                    Replicate(new ReadOnlySpan<float>((float*)at, P), 1, 0, rep);
                    int s = j * ChunkElements, len = Math.Min(ChunkElements, n - s);
                    RunForward(k, t, ref ((float*)ax)[s], ref ((float*)ay)[s], len, ref rep[0]);
                });
            }
            else if (inner == 1)
            {
                int rows = n / channels, per = RowsPerBlock(channels), blocks = (rows + per - 1) / per;
                Parallelism.For(blocks, b =>
                {
                    int r0 = b * per, r = Math.Min(per, rows - r0);
                    nint o = (nint)r0 * channels;
                    ColumnForward(k, t, ref ((float*)ax)[o], ref ((float*)ay)[o], r, channels, ref *(float*)at);
                });
            }
            else
            {
                int outer = n / (channels * inner);
                Parallelism.For(channels, c =>
                {
                    Span<float> rep = stackalloc float[P * 16];
                    Replicate(new ReadOnlySpan<float>((float*)at, P * channels), channels, c, rep);
                    for (int o = 0; o < outer; o++)
                    {
                        nint s = ((nint)o * channels + c) * inner;
                        RunForward(k, t, ref ((float*)ax)[s], ref ((float*)ay)[s], inner, ref rep[0]);
                    }
                });
            }
        }
    }

    /// <summary>dx = dy·∂f/∂x and dθ[k·channels + c] = Σ dy·∂f/∂θ_k over channel c (overwritten, not accumulated).</summary>
    public static void Backward<K>(in K kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> theta, int channels, int inner,
        Span<float> dTheta, SimdTier tier = SimdTier.Auto) where K : struct, ILearnableKernel
    {
        Check(kernel, x.Length, dy.Length, nameof(dy), theta.Length, channels, inner);
        if (dx.Length != x.Length) throw new ArgumentException($"dx has length {dx.Length}; expected {x.Length} (the input's length).", nameof(dx));
        if (dTheta.Length != theta.Length) throw new ArgumentException($"dTheta has length {dTheta.Length}; expected {theta.Length} (θ's length).", nameof(dTheta));
        K k = kernel;
        int n = x.Length, P = k.ParameterCount;
        var t = Simd.Resolve(tier);
        dTheta.Clear();
        fixed (float* px = x, pg = dy, pd = dx, pt = theta, pr = dTheta)
        {
            nint ax = (nint)px, ag = (nint)pg, ad = (nint)pd, at = (nint)pt, ar = (nint)pr;
            if (channels == 1)
            {
                int chunks = (n + ChunkElements - 1) / ChunkElements;
                float[] partial = ArrayPool<float>.Shared.Rent(Math.Max(1, chunks) * P);
                fixed (float* pp = partial)
                {
                    nint ap = (nint)pp;
                    Parallelism.For(chunks, j =>
                    {
                        Span<float> rep = stackalloc float[P * 16];
                        Span<float> acc = stackalloc float[P * 16];
                        Replicate(new ReadOnlySpan<float>((float*)at, P), 1, 0, rep);
                        acc.Clear();
                        int s = j * ChunkElements, len = Math.Min(ChunkElements, n - s);
                        RunBackward(k, t, ref ((float*)ax)[s], ref ((float*)ag)[s], ref ((float*)ad)[s], len, ref rep[0], ref acc[0]);
                        LearnableCores.Collapse(acc, P, new Span<float>((float*)ap + (nint)j * P, P));
                    });
                    for (int j = 0; j < chunks; j++)
                        for (int p = 0; p < P; p++) ((float*)ar)[p] += pp[(nint)j * P + p];
                }
                ArrayPool<float>.Shared.Return(partial);
            }
            else if (inner == 1)
            {
                int rows = n / channels, per = RowsPerBlock(channels), blocks = (rows + per - 1) / per, size = P * channels;
                float[] partial = ArrayPool<float>.Shared.Rent(Math.Max(1, blocks) * size);
                Array.Clear(partial, 0, Math.Max(1, blocks) * size);
                fixed (float* pp = partial)
                {
                    nint ap = (nint)pp;
                    Parallelism.For(blocks, b =>
                    {
                        int r0 = b * per, r = Math.Min(per, rows - r0);
                        nint o = (nint)r0 * channels;
                        ColumnBackward(k, t, ref ((float*)ax)[o], ref ((float*)ag)[o], ref ((float*)ad)[o], r, channels, ref *(float*)at, ref ((float*)ap)[(nint)b * size]);
                    });
                    for (int b = 0; b < blocks; b++)
                        Reduce.AddInto(dTheta, new ReadOnlySpan<float>(pp + (nint)b * size, size));
                }
                ArrayPool<float>.Shared.Return(partial);
            }
            else
            {
                int outer = n / (channels * inner);
                Parallelism.For(channels, c =>
                {
                    Span<float> rep = stackalloc float[P * 16];
                    Span<float> acc = stackalloc float[P * 16];
                    Span<float> sums = stackalloc float[P];
                    Replicate(new ReadOnlySpan<float>((float*)at, P * channels), channels, c, rep);
                    for (int o = 0; o < outer; o++)
                    {
                        nint s = ((nint)o * channels + c) * inner;
                        acc.Clear();
                        RunBackward(k, t, ref ((float*)ax)[s], ref ((float*)ag)[s], ref ((float*)ad)[s], inner, ref rep[0], ref acc[0]);
                        LearnableCores.Collapse(acc, P, sums);
                        for (int p = 0; p < P; p++) ((float*)ar)[(nint)p * channels + c] += sums[p];
                    }
                });
            }
        }
    }

    // Column blocks of about 32K elements: enough work per task, and a fixed function of the width alone.
    private static int RowsPerBlock(int channels) => Math.Max(1, ChunkElements / channels);

    private static void Replicate(ReadOnlySpan<float> theta, int channels, int c, Span<float> rep)
    {
        for (int p = 0; p < rep.Length / 16; p++) rep.Slice(p * 16, 16).Fill(theta[p * channels + c]);
    }

    private static void Check<K>(in K k, int n, int other, string otherName, int thetaLength, int channels, int inner) where K : struct, ILearnableKernel
    {
        int P = k.ParameterCount;
        if (P < 1 || P > MaxParameters) throw new ArgumentException($"kernel has {P} parameters; expected 1..{MaxParameters}.", "kernel");
        if (channels < 1) throw new ArgumentException($"channels must be ≥ 1; got {channels}.", nameof(channels));
        if (inner < 1) throw new ArgumentException($"inner must be ≥ 1; got {inner}.", nameof(inner));
        if (other != n) throw new ArgumentException($"{otherName} has length {other}; expected {n} (the input's length).", otherName);
        if (n % ((long)channels * inner) != 0) throw new ArgumentException($"input length {n} is not a multiple of channels·inner = {(long)channels * inner}.", "x");
        if (thetaLength != P * channels) throw new ArgumentException($"theta has length {thetaLength}; expected P·channels = {P}·{channels} = {P * channels}.", "theta");
    }

    private static void RunForward<K>(K k, SimdTier t, ref float x, ref float y, int n, ref float rep) where K : struct, ILearnableKernel
    {
        switch (t)
        {
            case SimdTier.Vec512: LearnableCores.RunForward<K, Vec512>(k, ref x, ref y, n, ref rep); break;
            case SimdTier.Vec256: LearnableCores.RunForward<K, Vec256>(k, ref x, ref y, n, ref rep); break;
            case SimdTier.Vec128: LearnableCores.RunForward<K, Vec128>(k, ref x, ref y, n, ref rep); break;
            default: LearnableCores.RunForward<K, Scalar>(k, ref x, ref y, n, ref rep); break;
        }
    }

    private static void RunBackward<K>(K k, SimdTier t, ref float x, ref float dy, ref float dx, int n, ref float rep, ref float acc) where K : struct, ILearnableKernel
    {
        switch (t)
        {
            case SimdTier.Vec512: LearnableCores.RunBackward<K, Vec512>(k, ref x, ref dy, ref dx, n, ref rep, ref acc); break;
            case SimdTier.Vec256: LearnableCores.RunBackward<K, Vec256>(k, ref x, ref dy, ref dx, n, ref rep, ref acc); break;
            case SimdTier.Vec128: LearnableCores.RunBackward<K, Vec128>(k, ref x, ref dy, ref dx, n, ref rep, ref acc); break;
            default: LearnableCores.RunBackward<K, Scalar>(k, ref x, ref dy, ref dx, n, ref rep, ref acc); break;
        }
    }

    private static void ColumnForward<K>(K k, SimdTier t, ref float x, ref float y, int rows, int cols, ref float theta) where K : struct, ILearnableKernel
    {
        switch (t)
        {
            case SimdTier.Vec512: LearnableCores.ColumnForward<K, Vec512>(k, ref x, ref y, rows, cols, ref theta); break;
            case SimdTier.Vec256: LearnableCores.ColumnForward<K, Vec256>(k, ref x, ref y, rows, cols, ref theta); break;
            case SimdTier.Vec128: LearnableCores.ColumnForward<K, Vec128>(k, ref x, ref y, rows, cols, ref theta); break;
            default: LearnableCores.ColumnForward<K, Scalar>(k, ref x, ref y, rows, cols, ref theta); break;
        }
    }

    private static void ColumnBackward<K>(K k, SimdTier t, ref float x, ref float dy, ref float dx, int rows, int cols, ref float theta, ref float acc) where K : struct, ILearnableKernel
    {
        switch (t)
        {
            case SimdTier.Vec512: LearnableCores.ColumnBackward<K, Vec512>(k, ref x, ref dy, ref dx, rows, cols, ref theta, ref acc); break;
            case SimdTier.Vec256: LearnableCores.ColumnBackward<K, Vec256>(k, ref x, ref dy, ref dx, rows, cols, ref theta, ref acc); break;
            case SimdTier.Vec128: LearnableCores.ColumnBackward<K, Vec128>(k, ref x, ref dy, ref dx, rows, cols, ref theta, ref acc); break;
            default: LearnableCores.ColumnBackward<K, Scalar>(k, ref x, ref dy, ref dx, rows, cols, ref theta, ref acc); break;
        }
    }
}
