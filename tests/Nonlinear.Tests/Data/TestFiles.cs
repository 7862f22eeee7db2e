using System.IO.Compression;
using System.Text;

namespace Nonlinear.Tests.Data;

/// <summary>Temporary files for reader tests, plain or gzip.</summary>
internal static class TestFiles
{
    public static string Dir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nonlinear-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(Dir(), name);
        if (!gzip) { File.WriteAllBytes(path, bytes); return path; }
        using (var fs = File.Create(path))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
            gz.Write(bytes);
        return path;
    }

    public static string Text(string name, string text, bool gzip = false) => Write(name, Encoding.UTF8.GetBytes(text), gzip);

    /// <summary>An IDX file: magic, big-endian sizes, data.</summary>
    public static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new List<byte>();
        void Int(int v) { bytes.Add((byte)(v >> 24)); bytes.Add((byte)(v >> 16)); bytes.Add((byte)(v >> 8)); bytes.Add((byte)v); }
        Int(magic);
        foreach (int d in dims) Int(d);
        bytes.AddRange(data);
        return bytes.ToArray();
    }
}
