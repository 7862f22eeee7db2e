using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// The inner loops of <see cref="LearnableDriver"/>, one generic copy per register width. Run loops see one parameter
/// set replicated into 16-float blocks and reduce parameter gradients into 16 partial sums per parameter (element i
/// of a run feeds partial i mod 16, whatever the width: the same sums in the same order on every tier). Column loops
/// see a channels-last matrix whose per-column gradients are summed row after row (also width-independent).
/// </summary>
internal static class LearnableCores
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunForward<K, V>(K k, ref float x, ref float y, int n, ref float rep)
        where K : struct, ILearnableKernel where V : struct, ISimdVec<V>
    {
        int w = V.Count, i = 0;
        for (; i <= n - w; i += w)
            V.Store(k.Forward(V.Load(ref Unsafe.Add(ref x, i)), ref rep, 16), ref Unsafe.Add(ref y, i));
        if (i < n) RunForwardTail(k, ref Unsafe.Add(ref x, i), ref Unsafe.Add(ref y, i), n - i, ref rep);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RunForwardTail<K>(K k, ref float x, ref float y, int n, ref float rep) where K : struct, ILearnableKernel
    {
        for (int i = 0; i < n; i++)
            Unsafe.Add(ref y, i) = k.Forward(new Scalar(Unsafe.Add(ref x, i)), ref rep, 16).V;
    }

    /// <summary>acc holds P×16 partial sums (zeroed by the caller); a run must start at a multiple of 16 of its chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunBackward<K, V>(K k, ref float x, ref float dy, ref float dx, int n, ref float rep, ref float acc)
        where K : struct, ILearnableKernel where V : struct, ISimdVec<V>
    {
        int w = V.Count, i = 0, blocks = n & ~15;
        for (; i < blocks; i += 16)
            for (int s = 0; s < 16; s += w)
            {
                V d = k.Backward(V.Load(ref Unsafe.Add(ref x, i + s)), V.Load(ref Unsafe.Add(ref dy, i + s)), ref rep, 16, ref Unsafe.Add(ref acc, s), 16);
                V.Store(d, ref Unsafe.Add(ref dx, i + s));
            }
        if (i < n) RunBackwardTail(k, ref Unsafe.Add(ref x, i), ref Unsafe.Add(ref dy, i), ref Unsafe.Add(ref dx, i), n - i, ref rep, ref acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RunBackwardTail<K>(K k, ref float x, ref float dy, ref float dx, int n, ref float rep, ref float acc) where K : struct, ILearnableKernel
    {
        for (int i = 0; i < n; i++)
            Unsafe.Add(ref dx, i) = k.Backward(new Scalar(Unsafe.Add(ref x, i)), new Scalar(Unsafe.Add(ref dy, i)), ref rep, 16, ref Unsafe.Add(ref acc, i & 15), 16).V;
    }

    /// <summary>Combines each parameter's 16 partials by a fixed pairwise tree (as <see cref="Reduce.Sum"/>).</summary>
    public static void Collapse(Span<float> acc, int parameters, Span<float> result)
    {
        for (int p = 0; p < parameters; p++)
        {
            var a = acc.Slice(p * 16, 16);
            for (int w = 8; w >= 1; w >>= 1)
                for (int j = 0; j < w; j++) a[j] += a[j + w];
            result[p] = a[0];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnForward<K, V>(K k, ref float x, ref float y, int rows, int cols, ref float theta)
        where K : struct, ILearnableKernel where V : struct, ISimdVec<V>
    {
        int w = V.Count;
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x, (nint)r * cols);
            ref float yr = ref Unsafe.Add(ref y, (nint)r * cols);
            int c = 0;
            for (; c <= cols - w; c += w)
                V.Store(k.Forward(V.Load(ref Unsafe.Add(ref xr, c)), ref Unsafe.Add(ref theta, c), cols), ref Unsafe.Add(ref yr, c));
            if (c < cols) ColumnForwardTail(k, ref xr, ref yr, c, cols, ref theta);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ColumnForwardTail<K>(K k, ref float x, ref float y, int c0, int cols, ref float theta) where K : struct, ILearnableKernel
    {
        for (int c = c0; c < cols; c++)
            Unsafe.Add(ref y, c) = k.Forward(new Scalar(Unsafe.Add(ref x, c)), ref Unsafe.Add(ref theta, c), cols).V;
    }

    /// <summary>acc holds P×cols column sums (stride cols); rows are added in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnBackward<K, V>(K k, ref float x, ref float dy, ref float dx, int rows, int cols, ref float theta, ref float acc)
        where K : struct, ILearnableKernel where V : struct, ISimdVec<V>
    {
        int w = V.Count;
        for (int r = 0; r < rows; r++)
        {
            nint o = (nint)r * cols;
            int c = 0;
            for (; c <= cols - w; c += w)
            {
                V d = k.Backward(V.Load(ref Unsafe.Add(ref x, o + c)), V.Load(ref Unsafe.Add(ref dy, o + c)),
                    ref Unsafe.Add(ref theta, c), cols, ref Unsafe.Add(ref acc, c), cols);
                V.Store(d, ref Unsafe.Add(ref dx, o + c));
            }
            if (c < cols) ColumnBackwardTail(k, ref Unsafe.Add(ref x, o), ref Unsafe.Add(ref dy, o), ref Unsafe.Add(ref dx, o), c, cols, ref theta, ref acc);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ColumnBackwardTail<K>(K k, ref float x, ref float dy, ref float dx, int c0, int cols, ref float theta, ref float acc) where K : struct, ILearnableKernel
    {
        for (int c = c0; c < cols; c++)
            Unsafe.Add(ref dx, c) = k.Backward(new Scalar(Unsafe.Add(ref x, c)), new Scalar(Unsafe.Add(ref dy, c)),
                ref Unsafe.Add(ref theta, c), cols, ref Unsafe.Add(ref acc, c), cols).V;
    }
}
