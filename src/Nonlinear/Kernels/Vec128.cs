using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>128-bit float register for <see cref="ISimdVec{TSelf}"/> kernels.</summary>
internal readonly struct Vec128 : ISimdVec<Vec128>
{
    /// <summary>The wrapped register.</summary>
    public readonly Vector128<float> V;

    /// <summary>Wraps a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec128(Vector128<float> v) => V = v;

    /// <inheritdoc/>
    public static int Count => Vector128<float>.Count;
    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Create(float value) => new(Vector128.Create(value));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Load(ref float source) => new(Vector128.LoadUnsafe(ref source));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vec128 value, ref float destination) => value.V.StoreUnsafe(ref destination);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreStreaming(Vec128 value, float* destination)
    {
        if (Sse.IsSupported) Sse.StoreAlignedNonTemporal(destination, value.V);
        else value.V.Store(destination);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator +(Vec128 a, Vec128 b) => new(a.V + b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator -(Vec128 a, Vec128 b) => new(a.V - b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator *(Vec128 a, Vec128 b) => new(a.V * b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator /(Vec128 a, Vec128 b) => new(a.V / b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator -(Vec128 a) => new(-a.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator &(Vec128 a, Vec128 b) => new(a.V & b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator |(Vec128 a, Vec128 b) => new(a.V | b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 operator ^(Vec128 a, Vec128 b) => new(a.V ^ b.V);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Fma(Vec128 a, Vec128 b, Vec128 c) => new(Vector128.FusedMultiplyAdd(a.V, b.V, c.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Min(Vec128 a, Vec128 b) => new(Vector128.Min(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Max(Vec128 a, Vec128 b) => new(Vector128.Max(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Clamp(Vec128 x, Vec128 lo, Vec128 hi)
    {
        // maxps(lo, x) is lo > x ? lo : x (x when unordered or equal), minps(hi, y) likewise: the contract exactly.
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
            return new(System.Runtime.Intrinsics.X86.Sse.Min(hi.V, System.Runtime.Intrinsics.X86.Sse.Max(lo.V, x.V)));
        Vector128<float> y = Vector128.ConditionalSelect(Vector128.LessThan(x.V, lo.V), lo.V, x.V);
        return new(Vector128.ConditionalSelect(Vector128.GreaterThan(y, hi.V), hi.V, y));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Abs(Vec128 a) => new(Vector128.Abs(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Sqrt(Vec128 a) => new(Vector128.Sqrt(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Round(Vec128 a) => new(Vector128.Round(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Floor(Vec128 a) => new(Vector128.Floor(a.V));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Equals(Vec128 a, Vec128 b) => new(Vector128.Equals(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 LessThan(Vec128 a, Vec128 b) => new(Vector128.LessThan(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 LessThanOrEqual(Vec128 a, Vec128 b) => new(Vector128.LessThanOrEqual(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 GreaterThan(Vec128 a, Vec128 b) => new(Vector128.GreaterThan(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 GreaterThanOrEqual(Vec128 a, Vec128 b) => new(Vector128.GreaterThanOrEqual(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 IsNaN(Vec128 a) => new(~Vector128.Equals(a.V, a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec128 Select(Vec128 mask, Vec128 a, Vec128 b) => new(Vector128.ConditionalSelect(mask.V, a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Blend(Vec128 mask, Vec128 a, Vec128 b) =>
        Sse41.IsSupported ? new(Sse41.BlendVariable(b.V, a.V, mask.V)) : Select(mask, a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 ScaleByPow2(Vec128 a, Vec128 n)
    {
        Vector128<int> bits = Vector128.ShiftLeft(Vector128.ConvertToInt32Native(n.V) + Vector128.Create(127), 23);
        return new(a.V * bits.AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 ScaleByPow2Rounded(Vec128 a, Vec128 n)
    {
        Vec128 n1 = Floor(n * Create(0.5f));
        return ScaleByPow2(ScaleByPow2(a, n1), n - n1);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Exponent(Vec128 a)
    {
        Vector128<int> e = Vector128.ShiftRightLogical(a.V.AsInt32(), 23) - Vector128.Create(127);
        return new(Vector128.ConvertToSingle(e));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Mantissa(Vec128 a)
    {
        Vector128<int> m = (a.V.AsInt32() & Vector128.Create(0x007FFFFF)) | Vector128.Create(0x3F800000);
        return new(m.AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vec128 a) => Vector128.Sum(a.V);
}
