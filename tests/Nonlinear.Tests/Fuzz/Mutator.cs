using System.Buffers.Binary;
using System.Text;

namespace Nonlinear.Tests.Fuzz;

/// <summary>
/// A seeded byte-level mutator in the style of libFuzzer/AFL: each input is a corpus entry with one to four
/// stacked mutations — bit flips, byte insert/delete, splices from another entry, overwritten length fields
/// (4 or 8 bytes, either endianness, with boundary values), ASCII number replacements, truncation and
/// duplicated chunks. Deterministic for a given seed: input i of a run is reproducible from (seed, i).
/// </summary>
internal sealed class Mutator(IReadOnlyList<byte[]> corpus, ulong seed)
{
    /// <summary>Values that break arithmetic: zero, one, sign and width boundaries, and huge counts.</summary>
    private static readonly long[] Boundaries =
        [0, 1, -1, 2, 7, 8, 255, 256, 65535, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue, long.MaxValue, long.MinValue, 100_000_000, 100_000_001];

    /// <summary>Numbers that break parsers and ranges when written in place of a number in text.</summary>
    private static readonly string[] Numbers =
        ["0", "-0", "-1", "1e40", "-1e40", "1e300", "1e-400", "NaN", "inf", "-Infinity", "2147483648", "-2147483649",
         "99999999999999999999", "9223372036854775808", "0x10", "1.5", "1e", "--1", "+", "", "4294967296", "1000000", "65537", "1_000"];

    /// <summary>Bytes that change the structure of the text formats (JSON, CSV, specs).</summary>
    private const string Structural = "{}[]\",:=\n\r\0()@.-";

    private readonly ulong _seed = seed;

    /// <summary>The <paramref name="index"/>-th mutated input of this run.</summary>
    public byte[] Input(int index)
    {
        var rng = new SplitMix(_seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));
        var data = new List<byte>(corpus[rng.Next(corpus.Count)]);
        int rounds = 1 + rng.Next(4);
        for (int r = 0; r < rounds; r++) Mutate(data, rng);
        return data.ToArray();
    }

    private void Mutate(List<byte> d, SplitMix rng)
    {
        switch (rng.Next(9))
        {
            case 0 when d.Count > 0:                         // bit flip
                d[rng.Next(d.Count)] ^= (byte)(1 << rng.Next(8));
                break;
            case 1:                                          // insert a random or structural byte
                d.Insert(rng.Next(d.Count + 1), rng.Next(2) == 0 ? (byte)rng.Next(256) : (byte)Structural[rng.Next(Structural.Length)]);
                break;
            case 2 when d.Count > 0:                         // delete a run
            {
                int at = rng.Next(d.Count);
                d.RemoveRange(at, Math.Min(d.Count - at, 1 + rng.Next(8)));
                break;
            }
            case 3:                                          // splice a chunk of another entry
            {
                var other = corpus[rng.Next(corpus.Count)];
                if (other.Length == 0) break;
                int from = rng.Next(other.Length), len = 1 + rng.Next(Math.Min(64, other.Length - from));
                d.InsertRange(rng.Next(d.Count + 1), other.AsSpan(from, len).ToArray());
                break;
            }
            case 4 when d.Count >= 8:                        // overwrite a length field
            {
                int width = rng.Next(2) == 0 ? 4 : 8;
                // Aligned positions first: that is where the formats keep their lengths.
                int at = rng.Next(2) == 0 ? 4 * rng.Next((d.Count - width) / 4 + 1) : rng.Next(d.Count - width + 1);
                long v = rng.Next(3) == 0 ? d.Count + rng.Next(17) - 8 : Boundaries[rng.Next(Boundaries.Length)];
                Span<byte> b = stackalloc byte[8];
                bool big = rng.Next(2) == 0;
                if (width == 4) { if (big) BinaryPrimitives.WriteInt32BigEndian(b, (int)v); else BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); }
                else { if (big) BinaryPrimitives.WriteInt64BigEndian(b, v); else BinaryPrimitives.WriteInt64LittleEndian(b, v); }
                for (int i = 0; i < width; i++) d[at + i] = b[i];
                break;
            }
            case 5:                                          // replace an ASCII number
                ReplaceNumber(d, rng);
                break;
            case 6 when d.Count > 0:                         // truncate
            {
                int keep = rng.Next(d.Count);
                d.RemoveRange(keep, d.Count - keep);
                break;
            }
            case 7 when d.Count > 0:                         // duplicate a chunk (repeated keys, fields, rows)
            {
                int from = rng.Next(d.Count), len = 1 + rng.Next(Math.Min(48, d.Count - from));
                d.InsertRange(rng.Next(d.Count + 1), d.GetRange(from, len));
                break;
            }
            default:                                         // overwrite one byte with a boundary byte
                if (d.Count > 0) d[rng.Next(d.Count)] = (byte)(rng.Next(2) == 0 ? 0xFF : rng.Next(2) == 0 ? 0x80 : 0x00);
                break;
        }
    }

    private static void ReplaceNumber(List<byte> d, SplitMix rng)
    {
        var starts = new List<int>();
        for (int i = 0; i < d.Count; i++)
            if (char.IsAsciiDigit((char)d[i]) && (i == 0 || !char.IsAsciiDigit((char)d[i - 1]))) starts.Add(i);
        string number = Numbers[rng.Next(Numbers.Length)];
        if (starts.Count == 0) { d.InsertRange(rng.Next(d.Count + 1), Encoding.ASCII.GetBytes(number)); return; }
        int s = starts[rng.Next(starts.Count)], e = s;
        while (e < d.Count && (char.IsAsciiDigit((char)d[e]) || d[e] is (byte)'.' or (byte)'e' or (byte)'-')) e++;
        d.RemoveRange(s, e - s);
        d.InsertRange(s, Encoding.ASCII.GetBytes(number));
    }

    /// <summary>SplitMix64: tiny, fast, and the same sequence on every runtime (System.Random's is not promised).</summary>
    private sealed class SplitMix(ulong state)
    {
        private ulong _s = state;

        public int Next(int bound)
        {
            ulong z = _s += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % (ulong)bound);
        }
    }
}
