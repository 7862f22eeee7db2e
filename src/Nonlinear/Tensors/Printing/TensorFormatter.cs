using System.Text;

namespace Nonlinear.Tensors.Printing;

/// <summary>
/// torch's tensor repr (torch/_tensor_str.py, 1.13, default print options): precision 4, line width 80, more
/// than 1000 elements summarised with 3 edge items and "...", one element width for the whole tensor, integers
/// printed as "1.", scientific notation when the non-zero finite magnitudes span more than 10³ or leave [1e-4, 1e8].
/// </summary>
internal static class TensorFormatter
{
    private const int Precision = 4, LineWidth = 80, Threshold = 1000, EdgeItems = 3;
    private const string Prefix = "tensor(";

    /// <summary>The full repr: values, then "size=…" for an empty tensor and "grad_fn=&lt;…&gt;" or "requires_grad=True".</summary>
    public static string Format(Tensor t, string? gradFn)
    {
        int indent = Prefix.Length;
        var suffixes = new List<string>();
        string body;
        if (t.Length == 0)
        {
            if (t.Rank != 1) suffixes.Add("size=" + PythonTuple(t.Shape));
            body = "[]";
        }
        else
        {
            var values = t.ToArray();
            bool summarize = t.Length > Threshold;
            var fmt = new ElementFormat(summarize ? Summarized(values, t.Shape.ToArray()) : values);
            var sb = new StringBuilder();
            Append(sb, values, t.Shape.ToArray(), 0, 0, indent, summarize, fmt);
            body = sb.ToString();
        }
        if (gradFn is not null) suffixes.Add($"grad_fn=<{gradFn}>");
        else if (t.RequiresGrad) suffixes.Add("requires_grad=True");
        return AddSuffixes(Prefix + body, suffixes, indent);
    }

    // _tensor_str_with_formatter: the block at `offset` of a row-major array with the given shape from dimension `dim`.
    private static void Append(StringBuilder sb, float[] v, int[] shape, int dim, int offset, int indent, bool summarize, ElementFormat fmt)
    {
        int rank = shape.Length - dim;
        if (rank == 0) { sb.Append(fmt.Format(v[offset])); return; }
        if (rank == 1) { AppendVector(sb, v, offset, shape[dim], indent, summarize, fmt); return; }
        int n = shape[dim], stride = 1;
        for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
        string sep = "," + new string('\n', rank - 1) + new string(' ', indent + 1);
        sb.Append('[');
        bool cut = summarize && n > 2 * EdgeItems;
        bool first = true;
        for (int i = 0; i < n; i++)
        {
            if (cut && i == EdgeItems) { sb.Append(sep).Append("..."); i = n - EdgeItems; }
            if (!first) sb.Append(sep);
            first = false;
            Append(sb, v, shape, dim + 1, offset + i * stride, indent + 1, summarize, fmt);
        }
        sb.Append(']');
    }

    private static void AppendVector(StringBuilder sb, float[] v, int offset, int n, int indent, bool summarize, ElementFormat fmt)
    {
        var items = new List<string>();
        bool cut = summarize && n > 2 * EdgeItems;
        for (int i = 0; i < n; i++)
        {
            if (cut && i == EdgeItems) { items.Add(" ..."); i = n - EdgeItems; }
            items.Add(fmt.Format(v[offset + i]));
        }
        int perLine = Math.Max(1, (LineWidth - indent) / (fmt.Width + 2));
        sb.Append('[');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(i % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
            sb.Append(items[i]);
        }
        sb.Append(']');
    }

    // get_summarized_data: the edge items of every dimension, the values the element format is chosen from.
    private static float[] Summarized(float[] v, int[] shape)
    {
        var kept = new List<float>();
        void Walk(int dim, int offset)
        {
            if (dim == shape.Length) { kept.Add(v[offset]); return; }
            int n = shape[dim], stride = 1;
            for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
            for (int i = 0; i < n; i++)
            {
                if (n > 2 * EdgeItems && i == EdgeItems) i = n - EdgeItems;
                Walk(dim + 1, offset + i * stride);
            }
        }
        Walk(0, 0);
        return [.. kept];
    }

    private static string AddSuffixes(string text, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(text);
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;   // torch's formula: rfind gives -1 without a newline
        foreach (var s in suffixes)
        {
            if (lastLineLength + s.Length + 2 > LineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(s);
                lastLineLength = indent + s.Length;
            }
            else
            {
                sb.Append(", ").Append(s);
                lastLineLength += s.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    private static string PythonTuple(ReadOnlySpan<int> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>torch's _Formatter for a floating tensor: the mode and the common width.</summary>
    private sealed class ElementFormat
    {
        private readonly bool _intMode = true, _sciMode;
        public int Width { get; } = 1;

        public ElementFormat(float[] values)
        {
            double min = double.PositiveInfinity, max = 0;
            bool any = false;
            foreach (float f in values)
            {
                if (!float.IsFinite(f) || f == 0) continue;
                any = true;
                double a = Math.Abs((double)f);
                min = Math.Min(min, a);
                max = Math.Max(max, a);
                if (f != MathF.Ceiling(f)) _intMode = false;
            }
            if (!any) return;
            _sciMode = max / min > 1000.0 || max > 1e8 || (!_intMode && min < 1e-4);
            foreach (float f in values)
            {
                if (!float.IsFinite(f) || f == 0) continue;
                int w = _sciMode ? TorchNumberFormat.Scientific(f, Precision).Length
                    : _intMode ? TorchNumberFormat.Fixed(f, 0).Length + 1
                    : TorchNumberFormat.Fixed(f, Precision).Length;
                Width = Math.Max(Width, w);
            }
        }

        public string Format(float value)
        {
            string s;
            if (_sciMode) s = TorchNumberFormat.Scientific(value, Precision);
            else if (_intMode) s = TorchNumberFormat.Fixed(value, 0) + (float.IsFinite(value) ? "." : "");
            else s = TorchNumberFormat.Fixed(value, Precision);
            return s.Length >= Width ? s : new string(' ', Width - s.Length) + s;
        }
    }
}
