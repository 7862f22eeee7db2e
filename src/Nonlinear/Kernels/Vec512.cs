using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>512-bit float register for <see cref="ISimdVec{TSelf}"/> kernels.</summary>
internal readonly struct Vec512 : ISimdVec<Vec512>
{
    /// <summary>The wrapped register.</summary>
    public readonly Vector512<float> V;

    /// <summary>Wraps a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec512(Vector512<float> v) => V = v;

    /// <inheritdoc/>
    public static int Count => Vector512<float>.Count;
    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Create(float value) => new(Vector512.Create(value));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Load(ref float source) => new(Vector512.LoadUnsafe(ref source));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vec512 value, ref float destination) => value.V.StoreUnsafe(ref destination);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreStreaming(Vec512 value, float* destination)
    {
        if (Avx512F.IsSupported) Avx512F.StoreAlignedNonTemporal(destination, value.V);
        else value.V.Store(destination);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator +(Vec512 a, Vec512 b) => new(a.V + b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator -(Vec512 a, Vec512 b) => new(a.V - b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator *(Vec512 a, Vec512 b) => new(a.V * b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator /(Vec512 a, Vec512 b) => new(a.V / b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator -(Vec512 a) => new(-a.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator &(Vec512 a, Vec512 b) => new(a.V & b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator |(Vec512 a, Vec512 b) => new(a.V | b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 operator ^(Vec512 a, Vec512 b) => new(a.V ^ b.V);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Fma(Vec512 a, Vec512 b, Vec512 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, c.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Min(Vec512 a, Vec512 b) => new(Vector512.Min(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Max(Vec512 a, Vec512 b) => new(Vector512.Max(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Clamp(Vec512 x, Vec512 lo, Vec512 hi)
    {
        // maxps(lo, x) is lo > x ? lo : x (x when unordered or equal), minps(hi, y) likewise: the contract exactly.
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
            return new(System.Runtime.Intrinsics.X86.Avx512F.Min(hi.V, System.Runtime.Intrinsics.X86.Avx512F.Max(lo.V, x.V)));
        Vector512<float> y = Vector512.ConditionalSelect(Vector512.LessThan(x.V, lo.V), lo.V, x.V);
        return new(Vector512.ConditionalSelect(Vector512.GreaterThan(y, hi.V), hi.V, y));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Abs(Vec512 a) => new(Vector512.Abs(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Sqrt(Vec512 a) => new(Vector512.Sqrt(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Round(Vec512 a) => new(Vector512.Round(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Floor(Vec512 a) => new(Vector512.Floor(a.V));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Equals(Vec512 a, Vec512 b) => new(Vector512.Equals(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 LessThan(Vec512 a, Vec512 b) => new(Vector512.LessThan(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 LessThanOrEqual(Vec512 a, Vec512 b) => new(Vector512.LessThanOrEqual(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 GreaterThan(Vec512 a, Vec512 b) => new(Vector512.GreaterThan(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 GreaterThanOrEqual(Vec512 a, Vec512 b) => new(Vector512.GreaterThanOrEqual(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 IsNaN(Vec512 a) => new(~Vector512.Equals(a.V, a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Select(Vec512 mask, Vec512 a, Vec512 b) => new(Vector512.ConditionalSelect(mask.V, a.V, b.V));
    /// <inheritdoc/>
    // AVX-512 selects through a mask register or one vpternlogd either way; nothing to gain from a blend here.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec512 Blend(Vec512 mask, Vec512 a, Vec512 b) => Select(mask, a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 ScaleByPow2(Vec512 a, Vec512 n)
    {
        Vector512<int> bits = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n.V) + Vector512.Create(127), 23);
        return new(a.V * bits.AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 ScaleByPow2Rounded(Vec512 a, Vec512 n)
    {
        // One vscalefps where AVX-512 exists; the software Vector512 (tests force this tier on any CPU) takes the two
        // exact steps of the other tiers, which round identically. IsSupported is a JIT-time constant: no branch remains.
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return new(System.Runtime.Intrinsics.X86.Avx512F.Scale(a.V, n.V));
        Vec512 n1 = Floor(n * Create(0.5f));
        return ScaleByPow2(ScaleByPow2(a, n1), n - n1);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Exponent(Vec512 a)
    {
        Vector512<int> e = Vector512.ShiftRightLogical(a.V.AsInt32(), 23) - Vector512.Create(127);
        return new(Vector512.ConvertToSingle(e));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Mantissa(Vec512 a)
    {
        Vector512<int> m = (a.V.AsInt32() & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000);
        return new(m.AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vec512 a) => Vector512.Sum(a.V);
}
