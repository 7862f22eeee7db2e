using System.Diagnostics;
using System.Text;

namespace Nonlinear.Data;

/// <summary>
/// A text for language modelling, split into training and validation parts by contiguous blocks: the last
/// <c>validationFraction</c> of the characters is validation (no window of one part overlaps the other).
/// Sources: "bundled" (Genesis–Leviticus of the King James Bible, data/text), "kjv" (the whole KJV through the
/// <c>bible</c> program of Debian's bible-kjv, when installed) or a path to any UTF-8 file.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>Largest text read (characters).</summary>
    public const int MaxCharacters = 256 << 20;

    /// <summary>Path of the bundled text relative to the repository or the executable.</summary>
    public const string BundledRelative = "data/text/kjv-genesis-leviticus.txt";

    private TextCorpus(string name, string text) { Name = name; Text = text; }

    /// <summary>Where the text came from.</summary>
    public string Name { get; }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>The training part (all but the last <paramref name="validationFraction"/>) and the validation part.</summary>
    public (string Train, string Validation) Split(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new InvalidInputException($"validation fraction must be in (0, 1); got {validationFraction}.", nameof(validationFraction));
        int cut = (int)(Text.Length * (1 - validationFraction));
        if (cut > 0 && char.IsHighSurrogate(Text[cut - 1])) cut--;   // never split a surrogate pair
        return (Text[..cut], Text[cut..]);
    }

    /// <summary>Reads a text from "bundled", "kjv" or a file path.</summary>
    /// <exception cref="InvalidInputException">"kjv" without the bible program, or an empty text.</exception>
    /// <exception cref="FileNotFoundException">The file or the bundled text is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not valid UTF-8 or too large.</exception>
    public static TextCorpus Load(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string text = source switch
        {
            "bundled" => ReadUtf8(FindBundled()),
            "kjv" => ReadKjv(),
            _ => ReadUtf8(source),
        };
        if (text.Length < 2) throw new InvalidInputException($"--text '{source}': the text has {text.Length} characters; a language model needs at least 2.", nameof(source));
        return new TextCorpus(source, text);
    }

    /// <summary>The bundled text beside the executable (data/ is copied there) or in a parent of the current directory.</summary>
    public static string FindBundled()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, BundledRelative);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, BundledRelative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"The bundled text was not found: looked for {beside} and for {BundledRelative} in the current directory and its parents.", BundledRelative);
    }

    private static string ReadUtf8(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"--text '{path}': no such file.", path);
        if (info.Length > 4L * MaxCharacters) throw new InvalidDataException($"{path}: {info.Length} bytes; at most {4L * MaxCharacters} are read.");
        var bytes = File.ReadAllBytes(path);
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal); }
        catch (DecoderFallbackException e) { throw new InvalidDataException($"{path}: not valid UTF-8 (byte {e.Index}).", e); }
    }

    // The whole KJV in the bundled layout: chapter heading, blank line, verses without numbers.
    private static string ReadKjv()
    {
        const string Program = "/usr/bin/bible";
        if (!File.Exists(Program))
            throw new InvalidInputException("--text kjv: the King James Bible is read through the bible program; install it with `apt-get install bible-kjv` (or use --text bundled).", "source");
        var psi = new ProcessStartInfo(Program, ["-l0", "Gen1:1-Rev22:21"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Program);
        string raw = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var sb = new StringBuilder(raw.Length);
        bool first = true;
        foreach (var line in raw.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                if (!first) sb.Append('\n');
                sb.Append(line).Append("\n\n");
                first = false;
                continue;
            }
            var t = line.TrimStart();
            int sp = t.IndexOf(' ');
            sb.Append(sp > 0 && t[..sp].All(char.IsAsciiDigit) ? t[(sp + 1)..] : t).Append('\n');
        }
        return sb.ToString();
    }
}
