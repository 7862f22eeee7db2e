using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

/// <summary>
/// One float lane for <see cref="ISimdVec{TSelf}"/> kernels: the scalar path and the tail of every
/// vector loop. Its semantics match the vector types lane for lane (IEEE 754:2019 min/max, ties-to-even
/// rounding, fused multiply-add), so a formula gives the same bits on every tier.
/// </summary>
internal readonly struct Scalar : ISimdVec<Scalar>
{
    /// <summary>The lane.</summary>
    public readonly float V;

    /// <summary>Wraps a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Scalar(float v) => V = v;

    private static readonly float AllBits = BitConverter.Int32BitsToSingle(-1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Scalar Mask(bool b) => new(b ? AllBits : 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bits(Scalar a) => BitConverter.SingleToInt32Bits(a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Scalar FromBits(int b) => new(BitConverter.Int32BitsToSingle(b));

    /// <inheritdoc/>
    public static int Count => 1;
    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Create(float value) => new(value);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Load(ref float source) => new(source);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Scalar value, ref float destination) => destination = value.V;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void StoreStreaming(Scalar value, float* destination) => *destination = value.V;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator +(Scalar a, Scalar b) => new(a.V + b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator -(Scalar a, Scalar b) => new(a.V - b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator *(Scalar a, Scalar b) => new(a.V * b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator /(Scalar a, Scalar b) => new(a.V / b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator -(Scalar a) => new(-a.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator &(Scalar a, Scalar b) => FromBits(Bits(a) & Bits(b));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator |(Scalar a, Scalar b) => FromBits(Bits(a) | Bits(b));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar operator ^(Scalar a, Scalar b) => FromBits(Bits(a) ^ Bits(b));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Fma(Scalar a, Scalar b, Scalar c) => new(MathF.FusedMultiplyAdd(a.V, b.V, c.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Min(Scalar a, Scalar b) => new(MathF.Min(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Max(Scalar a, Scalar b) => new(MathF.Max(a.V, b.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Clamp(Scalar x, Scalar lo, Scalar hi) => new(x.V < lo.V ? lo.V : x.V > hi.V ? hi.V : x.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Abs(Scalar a) => new(MathF.Abs(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Sqrt(Scalar a) => new(MathF.Sqrt(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Round(Scalar a) => new(MathF.Round(a.V, MidpointRounding.ToEven));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Floor(Scalar a) => new(MathF.Floor(a.V));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Equals(Scalar a, Scalar b) => Mask(a.V == b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar LessThan(Scalar a, Scalar b) => Mask(a.V < b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar LessThanOrEqual(Scalar a, Scalar b) => Mask(a.V <= b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar GreaterThan(Scalar a, Scalar b) => Mask(a.V > b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar GreaterThanOrEqual(Scalar a, Scalar b) => Mask(a.V >= b.V);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar IsNaN(Scalar a) => Mask(float.IsNaN(a.V));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Select(Scalar mask, Scalar a, Scalar b) => FromBits((Bits(mask) & Bits(a)) | (~Bits(mask) & Bits(b)));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Scalar Blend(Scalar mask, Scalar a, Scalar b) => Select(mask, a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar ScaleByPow2(Scalar a, Scalar n) => new(a.V * BitConverter.Int32BitsToSingle(((int)n.V + 127) << 23));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar ScaleByPow2Rounded(Scalar a, Scalar n)
    {
        Scalar n1 = Floor(n * Create(0.5f));
        return ScaleByPow2(ScaleByPow2(a, n1), n - n1);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Exponent(Scalar a) => new((float)((int)((uint)Bits(a) >> 23) - 127));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Mantissa(Scalar a) => FromBits((Bits(a) & 0x007FFFFF) | 0x3F800000);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Scalar a) => a.V;
}
