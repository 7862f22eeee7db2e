namespace Nonlinear.IO;

/// <summary>
/// Reads a length that a file claims for itself without trusting it: the buffer starts at one chunk and
/// doubles as data arrives, so a corrupt or hostile length field costs at most twice what the stream really
/// holds (plus one chunk), never the claimed amount up front.
/// </summary>
internal static class GrowingRead
{
    /// <summary>First allocation and smallest growth step.</summary>
    internal const int Chunk = 1 << 20;

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes; <paramref name="got"/> is less than <paramref name="count"/>
    /// only when the stream ended first (the returned buffer may then be longer than <paramref name="got"/>).
    /// </summary>
    internal static byte[] ReadUpTo(Stream stream, long count, out long got)
    {
        if (count > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"expected at most {Array.MaxLength} bytes.");
        var buffer = new byte[Math.Min(count, Chunk)];
        long filled = 0;
        while (filled < count)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(count, Math.Max((long)buffer.Length * 2, Chunk)));
            int n = stream.Read(buffer, (int)filled, (int)(buffer.Length - filled));
            if (n == 0) break;
            filled += n;
        }
        got = filled;
        return buffer;
    }
}
