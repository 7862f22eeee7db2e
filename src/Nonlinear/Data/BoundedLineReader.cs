using System.Text;

namespace Nonlinear.Data;

/// <summary>
/// <see cref="TextReader.ReadLine"/> with a length cap: a file without line breaks (a binary file, a device)
/// would otherwise be read into one ever-growing string. Line ends are \n, \r\n and \r, as for ReadLine.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxChars)
{
    private readonly char[] _buffer = new char[1 << 14];
    private readonly StringBuilder _line = new();
    private int _pos, _end;
    private bool _eof;

    /// <summary>The next line without its terminator, or null at the end; <paramref name="tooLong"/> is true (and null returned) when a line exceeds the cap.</summary>
    public string? ReadLine(out bool tooLong)
    {
        tooLong = false;
        _line.Clear();
        while (true)
        {
            if (_pos == _end && !Fill()) return _line.Length > 0 ? _line.ToString() : null;
            int start = _pos;
            while (_pos < _end && _buffer[_pos] != '\n' && _buffer[_pos] != '\r') _pos++;
            _line.Append(_buffer, start, _pos - start);
            if (_line.Length > maxChars) { tooLong = true; return null; }
            if (_pos == _end) continue;
            char terminator = _buffer[_pos++];
            if (terminator == '\r' && (_pos < _end || Fill()) && _buffer[_pos] == '\n') _pos++;
            return _line.ToString();
        }
    }

    private bool Fill()
    {
        if (_eof) return false;
        _end = reader.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        if (_end == 0) _eof = true;
        return !_eof;
    }
}
