using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>256-bit float register for <see cref="ISimdVec{TSelf}"/> kernels.</summary>
internal readonly struct Vec256 : ISimdVec<Vec256>
{
    /// <summary>The wrapped register.</summary>
    public readonly Vector256<float> V;

    /// <summary>Wraps a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec256(Vector256<float> v) => V = v;

    /// <inheritdoc/>
    public static int Count => Vector256<float>.Count;
    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Create(float value) => new(Vector256.Create(value));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Load(ref float source) => new(Vector256.LoadUnsafe(ref source));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vec256 value, ref float destination) => value.V.StoreUnsafe(ref destination);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreStreaming(Vec256 value, float* destination)
    {
        if (Avx.IsSupported) Avx.StoreAlignedNonTemporal(destination, value.V);
        else value.V.Store(destination);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator +(Vec256 a, Vec256 b) => new(a.V + b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator -(Vec256 a, Vec256 b) => new(a.V - b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator *(Vec256 a, Vec256 b) => new(a.V * b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator /(Vec256 a, Vec256 b) => new(a.V / b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator -(Vec256 a) => new(-a.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator &(Vec256 a, Vec256 b) => new(a.V & b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator |(Vec256 a, Vec256 b) => new(a.V | b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 operator ^(Vec256 a, Vec256 b) => new(a.V ^ b.V);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Fma(Vec256 a, Vec256 b, Vec256 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Min(Vec256 a, Vec256 b) => new(Vector256.Min(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Max(Vec256 a, Vec256 b) => new(Vector256.Max(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Clamp(Vec256 x, Vec256 lo, Vec256 hi)
    {
        // maxps(lo, x) is lo > x ? lo : x (x when unordered or equal), minps(hi, y) likewise: the contract exactly.
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported)
            return new(System.Runtime.Intrinsics.X86.Avx.Min(hi.V, System.Runtime.Intrinsics.X86.Avx.Max(lo.V, x.V)));
        Vector256<float> y = Vector256.ConditionalSelect(Vector256.LessThan(x.V, lo.V), lo.V, x.V);
        return new(Vector256.ConditionalSelect(Vector256.GreaterThan(y, hi.V), hi.V, y));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Abs(Vec256 a) => new(Vector256.Abs(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Sqrt(Vec256 a) => new(Vector256.Sqrt(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Round(Vec256 a) => new(Vector256.Round(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Floor(Vec256 a) => new(Vector256.Floor(a.V));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Equals(Vec256 a, Vec256 b) => new(Vector256.Equals(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 LessThan(Vec256 a, Vec256 b) => new(Vector256.LessThan(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 LessThanOrEqual(Vec256 a, Vec256 b) => new(Vector256.LessThanOrEqual(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 GreaterThan(Vec256 a, Vec256 b) => new(Vector256.GreaterThan(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 GreaterThanOrEqual(Vec256 a, Vec256 b) => new(Vector256.GreaterThanOrEqual(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 IsNaN(Vec256 a) => new(~Vector256.Equals(a.V, a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec256 Select(Vec256 mask, Vec256 a, Vec256 b) => new(Vector256.ConditionalSelect(mask.V, a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Blend(Vec256 mask, Vec256 a, Vec256 b) =>
        Avx.IsSupported ? new(Avx.BlendVariable(b.V, a.V, mask.V)) : Select(mask, a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 ScaleByPow2(Vec256 a, Vec256 n)
    {
        Vector256<int> bits = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n.V) + Vector256.Create(127), 23);
        return new(a.V * bits.AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 ScaleByPow2Rounded(Vec256 a, Vec256 n)
    {
        // The same two steps as the other tiers (n1 = ⌊n/2⌋, then n − n1), split in integers: one conversion and an
        // arithmetic shift instead of a multiply, a floor, a subtraction and two conversions (AVX2 has no vscalefps).
        Vector256<int> ni = Vector256.ConvertToInt32Native(n.V), n1 = Vector256.ShiftRightArithmetic(ni, 1);
        Vector256<int> bias = Vector256.Create(127);
        Vector256<float> s1 = Vector256.ShiftLeft(n1 + bias, 23).AsSingle(), s2 = Vector256.ShiftLeft(ni - n1 + bias, 23).AsSingle();
        return new(a.V * s1 * s2);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Exponent(Vec256 a)
    {
        Vector256<int> e = Vector256.ShiftRightLogical(a.V.AsInt32(), 23) - Vector256.Create(127);
        return new(Vector256.ConvertToSingle(e));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Mantissa(Vec256 a)
    {
        Vector256<int> m = (a.V.AsInt32() & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000);
        return new(m.AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vec256 a) => Vector256.Sum(a.V);
}
