using System.Text;

namespace Nonlinear.Data;

/// <summary>
/// Character-level tokenizer with a byte fallback (as SentencePiece's byte_fallback): ids 0 … C−1 are the characters
/// (Unicode scalar values) of a training text in ordinal order, ids C … C+255 the 256 UTF-8 bytes, so any text encodes:
/// a character outside the vocabulary becomes the ids of its UTF-8 bytes, and decoding joins runs of byte ids back
/// into UTF-8 (invalid sequences become U+FFFD).
/// </summary>
public sealed class CharTokenizer
{
    private readonly Dictionary<int, int> _ids;
    private readonly int[] _chars;

    /// <summary>Most distinct characters a vocabulary may hold.</summary>
    public const int MaxCharacters = 1 << 16;

    private CharTokenizer(int[] chars)
    {
        _chars = chars;
        _ids = new Dictionary<int, int>(chars.Length);
        for (int i = 0; i < chars.Length; i++) _ids[chars[i]] = i;
    }

    /// <summary>The vocabulary of <paramref name="text"/>'s distinct characters.</summary>
    /// <exception cref="InvalidInputException">More than <see cref="MaxCharacters"/> distinct characters.</exception>
    public static CharTokenizer FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new SortedSet<int>();
        foreach (var r in text.EnumerateRunes()) set.Add(r.Value);
        if (set.Count > MaxCharacters)
            throw new InvalidInputException($"text has {set.Count} distinct characters; a character vocabulary holds at most {MaxCharacters}.", nameof(text));
        return new CharTokenizer([.. set]);
    }

    /// <summary>The tokenizer whose characters are those of <paramref name="characters"/>, in that order (see <see cref="Characters"/>).</summary>
    /// <exception cref="InvalidDataException">A character repeated or too many (a corrupt checkpoint).</exception>
    public static CharTokenizer FromCharacters(string characters)
    {
        ArgumentNullException.ThrowIfNull(characters);
        var chars = characters.EnumerateRunes().Select(r => r.Value).ToArray();
        if (chars.Length > MaxCharacters || chars.Distinct().Count() != chars.Length)
            throw new InvalidDataException($"tokenizer characters: {chars.Length} entries with repeats or more than {MaxCharacters}.");
        return new CharTokenizer(chars);
    }

    /// <summary>The vocabulary's characters as one string (id order): saved in checkpoints.</summary>
    public string Characters => string.Concat(_chars.Select(c => new Rune(c).ToString()));

    /// <summary>Number of character ids C.</summary>
    public int CharacterCount => _chars.Length;

    /// <summary>All ids: characters then 256 bytes.</summary>
    public int VocabSize => _chars.Length + 256;

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        Span<byte> buf = stackalloc byte[4];
        foreach (var r in text.EnumerateRunes())
        {
            if (_ids.TryGetValue(r.Value, out int id)) { ids.Add(id); continue; }
            int n = r.EncodeToUtf8(buf);
            for (int i = 0; i < n; i++) ids.Add(_chars.Length + buf[i]);
        }
        return [.. ids];
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside [0, VocabSize).</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside [0, {VocabSize}).");
            if (id >= _chars.Length) { bytes.Add((byte)(id - _chars.Length)); continue; }
            Flush(sb, bytes);
            sb.Append(new Rune(_chars[id]).ToString());
        }
        Flush(sb, bytes);
        return sb.ToString();
    }

    private static void Flush(StringBuilder sb, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }
}
