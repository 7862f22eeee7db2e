using Nonlinear.Kernels;

namespace Nonlinear.Quantization;

/// <summary>
/// An activation on codes: y = Table[c, x] with c the channel (feature index mod <see cref="Channels"/>). Built by
/// <see cref="ActivationTables"/>; the table alone defines it, so a file needs no activation code to run.
/// </summary>
public sealed class QuantizedActivation : QuantizedLayer
{
    private readonly byte[] _table;
    private readonly ActivationQuantization _output;

    /// <summary>An activation stage for rows of <paramref name="features"/> values.</summary>
    /// <param name="name">The activation's spec, for display (e.g. "leaky_relu(negative_slope=0.01)" or "prelu").</param>
    /// <param name="features">Row width.</param>
    /// <param name="table">[channels, 256] output codes, channels = 1 or <paramref name="features"/>.</param>
    /// <param name="input">Input codes' quantization.</param>
    /// <param name="output">Output codes' quantization.</param>
    public QuantizedActivation(string name, int features, byte[] table, ActivationQuantization input, ActivationQuantization output)
        : base(features, features, input)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Length != 256 && table.Length != 256 * features)
            throw new ArgumentException($"activation table must hold 256 or {features}·256 codes; got {table.Length}.", nameof(table));
        if (output.Problem() is { } problem) throw new ArgumentException($"output quantization: {problem}.", nameof(output));
        if (table.Any(c => c > output.MaxCode))
            throw new ArgumentException($"activation table holds a code above the output's max code {output.MaxCode}.", nameof(table));
        (Name, _table, _output) = (name, (byte[])table.Clone(), output);
    }

    /// <summary>The activation's spec.</summary>
    public string Name { get; }
    /// <summary>1 (one table) or the row width (a table per feature, for per-channel learnable units).</summary>
    public int Channels => _table.Length / 256;
    /// <summary>The tables, [Channels, 256].</summary>
    public ReadOnlyMemory<byte> Table => _table;
    /// <inheritdoc/>
    public override ActivationQuantization? Output => _output;

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier) =>
        Int8Requantize.Lookup(x[..(rows * InFeatures)], _table, Channels, y);

    /// <summary>"name (table, 1 channel)".</summary>
    public override string ToString() => $"{Name} (lookup table, {Channels} channel(s))";
}
