using Nonlinear.Kernels;

namespace Nonlinear.Quantization;

/// <summary>One stage of a <see cref="QuantizedModel"/>: uint8 codes in (quantized with <see cref="Input"/>), codes or floats out.</summary>
public abstract class QuantizedLayer
{
    private protected QuantizedLayer(int inFeatures, int outFeatures, ActivationQuantization input)
    {
        if (inFeatures < 1 || outFeatures < 1) throw new ArgumentException($"features must be ≥ 1; got in {inFeatures}, out {outFeatures}.");
        if (input.Problem() is { } problem) throw new ArgumentException($"input quantization: {problem}.", nameof(input));
        (InFeatures, OutFeatures, Input) = (inFeatures, outFeatures, input);
    }

    /// <summary>Features per row in.</summary>
    public int InFeatures { get; }
    /// <summary>Features per row out.</summary>
    public int OutFeatures { get; }
    /// <summary>How the input codes map to values.</summary>
    public ActivationQuantization Input { get; }
    /// <summary>How the output codes map to values, or null when the layer outputs float (the last layer).</summary>
    public abstract ActivationQuantization? Output { get; }

    /// <summary>Codes to codes over <paramref name="rows"/> rows.</summary>
    internal abstract void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier);

    /// <summary>Codes to floats (only a layer whose <see cref="Output"/> is null).</summary>
    internal virtual void Run(ReadOnlySpan<byte> x, int rows, Span<float> y, SimdTier tier) =>
        throw new InvalidOperationException($"{GetType().Name} outputs codes, not floats.");

    /// <summary>
    /// Codes to codes on at most <paramref name="threads"/> threads: 1 when <see cref="QuantizedModel"/> already runs
    /// blocks of rows in parallel, so a layer must not split its block again. A layer whose work does not split (a
    /// lookup table) or that does not say may run <see cref="Run(ReadOnlySpan{byte}, int, Span{byte}, SimdTier)"/>.
    /// </summary>
    internal virtual void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier, int threads) => Run(x, rows, y, tier);

    /// <summary>Codes to floats on at most <paramref name="threads"/> threads (see the codes-to-codes overload).</summary>
    internal virtual void Run(ReadOnlySpan<byte> x, int rows, Span<float> y, SimdTier tier, int threads) => Run(x, rows, y, tier);
}
