using System.Globalization;

namespace Nonlinear.Data;

/// <summary>
/// Reads a numeric CSV file (plain or gzip, detected by magic bytes) into a <see cref="Dataset"/>: every
/// column but the target is a float feature. Errors are <see cref="InvalidDataException"/>s naming
/// file:line:column and the offending text: malformed numbers, NaN/Inf, ragged rows, labels outside
/// [0, classes), duplicate column names, lines longer than <see cref="MaxLineChars"/>, empty files.
/// </summary>
public static class CsvReader
{
    /// <summary>
    /// Most classes accepted when <see cref="CsvOptions.Classes"/> is not given: labels must lie in [0, MaxClasses),
    /// so a stray label of 1000000 (or an id column read as the label) cannot make a million-way classifier.
    /// </summary>
    public const int MaxClasses = 10_000;

    /// <summary>Most classes accepted even when <see cref="CsvOptions.Classes"/> is given explicitly.</summary>
    public const int MaxClassesGiven = 1_000_000;

    /// <summary>Longest line accepted, in characters; a file without line breaks (or a device) cannot fill memory one line at a time.</summary>
    public const int MaxLineChars = 1 << 22;

    /// <summary>Reads <paramref name="path"/> with <paramref name="options"/> (defaults: label = last column, header auto-detected).</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        using var stream = DataFile.OpenRead(path, out _);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        try { return Read(reader, path, options); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="name"/> labels errors and the dataset.</summary>
    public static Dataset Read(TextReader reader, string name, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        if (options.Classes is int k && (k < 1 || k > MaxClassesGiven))
            throw new InvalidInputException($"classes = {k}; expected a number of classes in [1, {MaxClassesGiven}].", nameof(options));
        var rows = ReadRows(reader, options.Separator, name);
        if (rows.Count == 0) throw new InvalidDataException($"{name}: empty file: expected at least one data row, found none.");

        string[]? header = null;
        int start = 0;
        bool firstNumeric = rows[0].Fields.All(f => TryNumber(f, out _));
        bool shortFirst = rows.Count > 1 && (rows[0].Fields.Length < rows[1].Fields.Length || IsSklearnCounts(rows));
        if (options.HasHeader == true || (options.HasHeader is null && (!firstNumeric || shortFirst)))
        {
            start = 1;
            // scikit-learn's "count,features,classes..." line is metadata, not column names.
            if (!shortFirst) header = rows[0].Fields;
        }
        if (header is not null) CheckUniqueNames(header, name, rows[0].Line);
        if (rows.Count == start) throw new InvalidDataException($"{name}: empty file: expected data rows after the header, found none.");

        int width = rows[start].Fields.Length;
        if (header is not null && header.Length != width)
            throw new InvalidDataException($"{name}:{rows[0].Line}: header has {header.Length} fields but the first data row has {width}.");
        if (width < 2)
            throw new InvalidDataException($"{name}:{rows[start].Line}: expected at least 2 columns (features and a target), found {width}.");
        int target = TargetColumn(options, header, width, name);

        int classes = options.Classes ?? MaxClasses;
        int n = rows.Count - start, d = width - 1;
        var features = new float[(long)n * d];
        var labels = options.Task == CsvTask.Classification ? new int[n] : null;
        var targets = options.Task == CsvTask.Regression ? new float[n] : null;
        for (int r = 0; r < n; r++)
        {
            var (line, fields) = rows[start + r];
            if (fields.Length != width)
                throw new InvalidDataException($"{name}:{line}: ragged row: expected {width} fields, found {fields.Length}.");
            int f = 0;
            for (int c = 0; c < width; c++)
            {
                if (c == target && labels is not null)
                {
                    if (!TryNumber(fields[c], out double l) || l != Math.Floor(l) || l < 0 || l >= classes)
                        throw new InvalidDataException($"{name}:{line}:{c + 1}: label {MessageText.Quote(fields[c].Trim())} is not an integer class index in [0, {classes})" +
                            (options.Classes is null ? $" (at most {MaxClasses} classes unless the number of classes is given)." : $" ({classes} classes given)."));
                    labels[r] = (int)l;
                    continue;
                }
                float v = ParseField(fields[c], name, line, c);
                if (c == target) targets![r] = v;
                else features[(long)r * d + f++] = v;
            }
        }
        return labels is not null
            ? Dataset.Classification(features, labels, d, options.Classes, name)
            : Dataset.Regression(features, targets!, d, name);
    }

    // scikit-learn's bundled CSVs start with "n_samples,n_features,class names...": recognise it by its counts,
    // since with few features the line can have as many fields as a data row, or more.
    private static bool IsSklearnCounts(List<(int Line, string[] Fields)> rows)
    {
        var f = rows[0].Fields;
        return f.Length >= 2
            && int.TryParse(f[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n == rows.Count - 1
            && int.TryParse(f[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d == rows[1].Fields.Length - 1;
    }

    // A repeated name would make --target NAME pick one of two columns silently.
    private static void CheckUniqueNames(string[] header, string name, int line)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            string col = ColumnName(header[c]);
            if (!first.TryAdd(col, c))
                throw new InvalidDataException($"{name}:{line}: duplicate column name {MessageText.Quote(col)} in columns {first[col] + 1} and {c + 1}; expected unique names.");
        }
    }

    private static int TargetColumn(CsvOptions options, string[]? header, int width, string name)
    {
        if (options.LabelName is string wanted)
        {
            if (header is null)
                throw new InvalidDataException($"{name}: label column '{wanted}' requested by name but the file has no header row.");
            int i = Array.FindIndex(header, h => ColumnName(h) == wanted);
            if (i < 0)
                throw new InvalidDataException($"{name}: label column {MessageText.Quote(wanted)} not in the header; columns are: {MessageText.List(header.Select(ColumnName))}.");
            return i;
        }
        int col = options.LabelColumn < 0 ? width + options.LabelColumn : options.LabelColumn;
        if ((uint)col >= (uint)width)
            throw new InvalidInputException($"LabelColumn = {options.LabelColumn} but {name} has {width} columns; expected a value in [{-width}, {width - 1}].", nameof(options));
        return col;
    }

    // Spreadsheet exports often quote header names: "a","label".
    private static string ColumnName(string field) => field.Trim().Trim('"').Trim();

    private static float ParseField(string text, string name, int line, int column)
    {
        if (!TryNumber(text, out double v))
            throw new InvalidDataException($"{name}:{line}:{column + 1}: malformed number {MessageText.Quote(text.Trim())}.");
        if (double.IsNaN(v))
            throw new InvalidDataException($"{name}:{line}:{column + 1}: NaN in data ({MessageText.Quote(text.Trim())}); missing values are not supported.");
        float f = (float)v;
        if (!float.IsFinite(f))
            throw new InvalidDataException($"{name}:{line}:{column + 1}: infinite value in data ({MessageText.Quote(text.Trim())} is outside the float32 range).");
        return f;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Non-blank lines split into fields, with their 1-based line numbers.</summary>
    private static List<(int Line, string[] Fields)> ReadRows(TextReader reader, char separator, string name)
    {
        var rows = new List<(int, string[])>();
        var lines = new BoundedLineReader(reader, MaxLineChars);
        int lineNo = 0;
        while (true)
        {
            string? line = lines.ReadLine(out bool tooLong);
            lineNo++;
            if (tooLong)
                throw new InvalidDataException($"{name}:{lineNo}: line longer than {MaxLineChars} characters; expected a CSV text file with line breaks.");
            if (line is null) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            rows.Add((lineNo, line.Split(separator)));
        }
        return rows;
    }
}
