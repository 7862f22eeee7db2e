using System.Numerics;
using Nonlinear.Interpret.Capture;

namespace Nonlinear.Interpret.Regions;

/// <summary>
/// The activation pattern of each input as a bit string (bit u of a layer = unit u is on, a &gt; threshold), the layers
/// concatenated: for a ReLU network the pattern over all its ReLU layers names the linear region the input lies in.
/// Stored as 64-bit words per input.
/// </summary>
public sealed class ActivationCodes
{
    private readonly ulong[] _words;

    private ActivationCodes(ulong[] words, int inputs, int bits)
    {
        _words = words;
        Inputs = inputs;
        Bits = bits;
        Words = (bits + 63) / 64;
    }

    /// <summary>Inputs coded.</summary>
    public int Inputs { get; }
    /// <summary>Bits per code (units over all layers).</summary>
    public int Bits { get; }
    /// <summary>64-bit words per code.</summary>
    public int Words { get; }

    /// <summary>The code of input <paramref name="i"/>.</summary>
    public ReadOnlySpan<ulong> Code(int i) => _words.AsSpan(i * Words, Words);

    /// <summary>Bit <paramref name="bit"/> of input <paramref name="i"/>'s code.</summary>
    public bool this[int i, int bit] => (_words[i * Words + bit / 64] >> (bit % 64) & 1) != 0;

    /// <summary>
    /// Codes from one or more layers captured over the same inputs (one row per input: flattened layout).
    /// A NaN is off.
    /// </summary>
    /// <exception cref="ArgumentException">No layers, layers of different row counts, or several rows per input.</exception>
    public static ActivationCodes From(IReadOnlyList<ActivationMatrix> layers, float threshold = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("no layers to code.", nameof(layers));
        int inputs = layers[0].Rows;
        foreach (var l in layers)
        {
            if (l.Rows != inputs) throw new ArgumentException($"{l.Name} has {l.Rows} rows; {layers[0].Name} has {inputs}.", nameof(layers));
            if (l.RowsPerInput != 1) throw new ArgumentException($"{l.Name} has {l.RowsPerInput} rows per input; codes need one row per input (flattened capture).", nameof(layers));
        }
        int bits = layers.Sum(l => l.Units), words = (bits + 63) / 64;
        var data = new ulong[(long)inputs * words];
        for (int i = 0; i < inputs; i++)
        {
            int bit = 0;
            foreach (var l in layers)
            {
                var row = l.Row(i);
                for (int u = 0; u < row.Length; u++, bit++)
                    if (row[u] > threshold) data[i * words + bit / 64] |= 1UL << (bit % 64);
            }
        }
        return new ActivationCodes(data, inputs, bits);
    }

    /// <summary>The number of bits where the codes of <paramref name="i"/> here and <paramref name="j"/> in <paramref name="other"/> differ.</summary>
    public int Hamming(int i, ActivationCodes other, int j)
    {
        var a = Code(i);
        var b = other.Code(j);
        int d = 0;
        for (int w = 0; w < a.Length; w++) d += BitOperations.PopCount(a[w] ^ b[w]);
        return d;
    }

    /// <summary>The codes as 0/1 floats, rows × <see cref="Bits"/> (for a probe on the codes).</summary>
    public float[] ToFloats()
    {
        var x = new float[(long)Inputs * Bits];
        for (int i = 0; i < Inputs; i++)
            for (int b = 0; b < Bits; b++) x[(long)i * Bits + b] = this[i, b] ? 1f : 0f;
        return x;
    }

    /// <summary>Inputs per distinct code, keyed by the code's words.</summary>
    internal Dictionary<CodeKey, int> Regions()
    {
        var counts = new Dictionary<CodeKey, int>();
        for (int i = 0; i < Inputs; i++)
        {
            var key = new CodeKey(Code(i).ToArray());
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    internal readonly struct CodeKey(ulong[] words) : IEquatable<CodeKey>
    {
        private readonly ulong[] _w = words;
        public bool Equals(CodeKey other) => _w.AsSpan().SequenceEqual(other._w);
        public override bool Equals(object? obj) => obj is CodeKey k && Equals(k);
        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var w in _w) h.Add(w);
            return h.ToHashCode();
        }
    }
}
