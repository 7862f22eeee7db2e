namespace Nonlinear.Kernels;

/// <summary>Which register width a kernel runs with. <see cref="Auto"/> picks the widest accelerated one.</summary>
public enum SimdTier
{
    /// <summary>Widest hardware-accelerated width (512, then 256, then 128 bits, else scalar).</summary>
    Auto,
    /// <summary>One lane at a time.</summary>
    Scalar,
    /// <summary>128-bit registers (SSE / NEON).</summary>
    Vec128,
    /// <summary>256-bit registers (AVX2).</summary>
    Vec256,
    /// <summary>512-bit registers (AVX-512).</summary>
    Vec512,
}

/// <summary>Resolves <see cref="SimdTier.Auto"/> against this machine and the DOTNET_Enable* switches.</summary>
public static class Simd
{
    /// <summary>The tier <see cref="SimdTier.Auto"/> resolves to on this machine.</summary>
    public static SimdTier Best { get; } =
        Vec512.IsHardwareAccelerated ? SimdTier.Vec512 :
        Vec256.IsHardwareAccelerated ? SimdTier.Vec256 :
        Vec128.IsHardwareAccelerated ? SimdTier.Vec128 : SimdTier.Scalar;

    /// <summary>Maps <see cref="SimdTier.Auto"/> to <see cref="Best"/>; other tiers pass through (they run in software when not accelerated).</summary>
    public static SimdTier Resolve(SimdTier tier) => tier == SimdTier.Auto ? Best : tier;
}
