using System.Buffers.Binary;
using System.Globalization;
using Nonlinear.IO;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// A <see cref="QuantizedModel"/> as one safetensors file, written atomically. Metadata: "format" =
/// <see cref="Format"/>, "layers" = count, "layers.{i}.kind" = "linear", "activation", "conv2d" or "maxpool2d" ("layers.{i}.name" the
/// activation's spec), plus the caller's description (the float checkpoint's run, calibration method, …). Tensors,
/// per layer i:
/// <list type="bullet">
/// <item>"layers.{i}.input_scale" F32 [1], "layers.{i}.input_zero_point" U8 [1]; likewise "output_scale"/"output_zero_point"
/// unless the layer outputs floats (the last linear layer); 7-bit codes (reduce_range) add the metadata
/// "layers.{i}.input_max_code" (or "output_max_code") = "127" and make the format <see cref="FormatReducedRange"/>, so
/// a reader that predates 7-bit codes refuses the file instead of clamping its codes at 255.</item>
/// <item>linear: "weight" I8 [out, in] (symmetric, in [−127, 127]), "weight_scale" F32 [out] (per output channel), "bias" F32 [out].</item>
/// <item>activation: "table" U8 [channels, 256].</item>
/// <item>conv2d: "weight" I8 [out, in, kh, kw], "weight_scale" F32 [out], "bias" F32 [out]; metadata "layers.{i}.shape" =
/// "C,H,W" (the input sample) and "layers.{i}.window" = "kh,kw,sh,sw,ph,pw,dh,dw".</item>
/// <item>maxpool2d: no tensors beyond its quantization (output = input); metadata "shape" and "window" as conv2d.</item>
/// </list>
/// These are ONNX QDQ's quantities (QuantizeLinear's y_scale/y_zero_point, per-axis weight scales with axis 0), so an
/// exporter writes them unchanged.
/// </summary>
public static class QuantizedModelFile
{
    /// <summary>Format tag stored in the metadata.</summary>
    public const string Format = "nonlinear-int8/1";

    /// <summary>Format tag of a file with 7-bit (reduce_range) activation codes somewhere.</summary>
    public const string FormatReducedRange = "nonlinear-int8/2";

    // Bounds a corrupt header cannot exceed.
    private const int MaxLayers = 10_000;

    /// <summary>Whether <paramref name="metadata"/> is that of a quantized model file.</summary>
    public static bool IsQuantized(IReadOnlyDictionary<string, string> metadata) =>
        metadata is not null && metadata.TryGetValue("format", out var f) && f is Format or FormatReducedRange;

    /// <summary>Writes <paramref name="model"/> with <paramref name="description"/> in the metadata.</summary>
    public static void Save(string path, QuantizedModel model, IReadOnlyDictionary<string, string>? description = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var meta = new Dictionary<string, string>(description ?? new Dictionary<string, string>())
        {
            ["format"] = model.Layers.Any(l => l.Input.MaxCode != 255 || l.Output?.MaxCode is not (null or 255)) ? FormatReducedRange : Format,
            ["layers"] = model.Layers.Count.ToString(CultureInfo.InvariantCulture),
        };
        var tensors = new List<(string Name, string DType, int[] Shape, byte[] Data)>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var l = model.Layers[i];
            string p = $"layers.{i}.";
            AddQuant(tensors, meta, p + "input", l.Input);
            if (l.Output is { } o) AddQuant(tensors, meta, p + "output", o);
            switch (l)
            {
                case QuantizedLinear q:
                    meta[p + "kind"] = "linear";
                    tensors.Add((p + "weight", "I8", [q.OutFeatures, q.InFeatures], q.Weight.ToArray().Select(v => (byte)v).ToArray()));
                    tensors.Add((p + "weight_scale", "F32", [q.OutFeatures], Floats(q.WeightScale.Span)));
                    tensors.Add((p + "bias", "F32", [q.OutFeatures], Floats(q.Bias.Span)));
                    break;
                case QuantizedActivation a:
                    meta[p + "kind"] = "activation";
                    meta[p + "name"] = a.Name;
                    meta[p + "features"] = a.InFeatures.ToString(CultureInfo.InvariantCulture);
                    tensors.Add((p + "table", "U8", [a.Channels, 256], a.Table.ToArray()));
                    break;
                case QuantizedConv2d c:
                    meta[p + "kind"] = "conv2d";
                    meta[p + "shape"] = Join(c.InChannels, c.Height, c.Width);
                    meta[p + "window"] = WindowText(c.Window);
                    tensors.Add((p + "weight", "I8", [c.OutChannels, c.InChannels, c.Window.KernelH, c.Window.KernelW], c.Weight.ToArray().Select(v => (byte)v).ToArray()));
                    tensors.Add((p + "weight_scale", "F32", [c.OutChannels], Floats(c.WeightScale.Span)));
                    tensors.Add((p + "bias", "F32", [c.OutChannels], Floats(c.Bias.Span)));
                    break;
                case QuantizedMaxPool2d mp:
                    meta[p + "kind"] = "maxpool2d";
                    meta[p + "shape"] = Join(mp.Channels, mp.Height, mp.Width);
                    meta[p + "window"] = WindowText(mp.Window);
                    break;
                default: throw new ArgumentException($"layer {i} is a {l.GetType().Name}, which has no file form.", nameof(model));
            }
        }
        AtomicFile.Write(path, s => Write(s, tensors, meta));
    }

    /// <summary>Reads a model and its metadata.</summary>
    /// <exception cref="InvalidDataException">Not a quantized model file, or a missing/inconsistent tensor ("corrupt quantized model: …").</exception>
    public static (QuantizedModel Model, Dictionary<string, string> Metadata) Load(string path)
    {
        var (tensors, meta) = SafeTensors.Load(path);
        if (!IsQuantized(meta))
            throw new InvalidDataException($"{path}: not a quantized model (metadata 'format' is '{(meta.TryGetValue("format", out var f) ? f : "missing")}'; expected '{Format}').");
        try
        {
            int count = int.Parse(meta.GetValueOrDefault("layers") ?? "", NumberStyles.None, CultureInfo.InvariantCulture);
            if (count < 1 || count > MaxLayers) throw new FormatException($"layers = {count}");
            var layers = new List<QuantizedLayer>();
            var used = new HashSet<string>();
            Tensor T(string name) => used.Add(name) && tensors.TryGetValue(name, out var t) ? t : throw new FormatException($"tensor '{name}' is missing");
            for (int i = 0; i < count; i++)
            {
                string p = $"layers.{i}.";
                var input = Quant(T(p + "input_scale"), T(p + "input_zero_point"), MaxCode(meta, p + "input"));
                ActivationQuantization? output = tensors.ContainsKey(p + "output_scale")
                    ? Quant(T(p + "output_scale"), T(p + "output_zero_point"), MaxCode(meta, p + "output")) : null;
                switch (meta.GetValueOrDefault(p + "kind"))
                {
                    case "linear":
                        var w = T(p + "weight");
                        if (w.Rank != 2) throw new FormatException($"{p}weight is {Shapes.Format(w.Shape)}; expected [out, in]");
                        var codes = Ints(w, -127, 127).Select(v => (sbyte)v).ToArray();
                        layers.Add(new QuantizedLinear(codes, T(p + "weight_scale").ToArray(), T(p + "bias").ToArray(), w.Size(1), input, output));
                        break;
                    case "activation":
                        int features = int.Parse(meta.GetValueOrDefault(p + "features") ?? "", NumberStyles.None, CultureInfo.InvariantCulture);
                        var table = Ints(T(p + "table"), 0, 255).Select(v => (byte)v).ToArray();
                        layers.Add(new QuantizedActivation(meta.GetValueOrDefault(p + "name") ?? "?", features, table, input,
                            output ?? throw new FormatException($"activation layer {i} has no output quantization")));
                        break;
                    case "conv2d":
                        var cw = T(p + "weight");
                        var (c, h, wd) = Shape(meta, p);
                        var window = ParseWindow(meta, p);
                        if (cw.Rank != 4 || cw.Size(1) != c || cw.Size(2) != window.KernelH || cw.Size(3) != window.KernelW)
                            throw new FormatException($"{p}weight is {Shapes.Format(cw.Shape)}; expected [out, {c}, {window.KernelH}, {window.KernelW}]");
                        layers.Add(new QuantizedConv2d(Ints(cw, -127, 127).Select(v => (sbyte)v).ToArray(), T(p + "weight_scale").ToArray(), T(p + "bias").ToArray(),
                            c, h, wd, window, input, output ?? throw new FormatException($"conv2d layer {i} has no output quantization")));
                        break;
                    case "maxpool2d":
                        var (pc, ph, pw) = Shape(meta, p);
                        if (output != input) throw new FormatException($"maxpool2d layer {i} has output quantization {output}, not its input's {input}");
                        layers.Add(new QuantizedMaxPool2d(pc, ph, pw, ParseWindow(meta, p), input));
                        break;
                    default: throw new FormatException($"{p}kind is '{meta.GetValueOrDefault(p + "kind") ?? "missing"}'; expected linear, activation, conv2d or maxpool2d");
                }
            }
            var extra = tensors.Keys.Where(k => !used.Contains(k)).ToArray();
            if (extra.Length > 0) throw new FormatException($"unexpected tensor(s) {string.Join(", ", extra.Take(5))}");
            return (new QuantizedModel(layers), meta);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{path}: corrupt quantized model: {e.Message}", e);
        }
    }

    private static string Join(params int[] v) => string.Join(",", v.Select(x => x.ToString(CultureInfo.InvariantCulture)));

    private static string WindowText(Kernels.Window2d w) => Join(w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.PadH, w.PadW, w.DilationH, w.DilationW);

    private static int[] Numbers(Dictionary<string, string> meta, string key, int count)
    {
        var parts = (meta.GetValueOrDefault(key) ?? throw new FormatException($"metadata '{key}' is missing")).Split(',');
        if (parts.Length != count) throw new FormatException($"metadata '{key}' holds {parts.Length} numbers; expected {count}");
        return parts.Select(t => int.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
    }

    private static (int C, int H, int W) Shape(Dictionary<string, string> meta, string p)
    {
        var v = Numbers(meta, p + "shape", 3);
        return (v[0], v[1], v[2]);
    }

    private static Kernels.Window2d ParseWindow(Dictionary<string, string> meta, string p)
    {
        var v = Numbers(meta, p + "window", 8);
        return new Kernels.Window2d(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    private static void AddQuant(List<(string, string, int[], byte[])> tensors, Dictionary<string, string> meta, string prefix, ActivationQuantization q)
    {
        tensors.Add((prefix + "_scale", "F32", [1], Floats([q.Scale])));
        tensors.Add((prefix + "_zero_point", "U8", [1], [(byte)q.ZeroPoint]));
        if (q.MaxCode != 255) meta[prefix + "_max_code"] = q.MaxCode.ToString(CultureInfo.InvariantCulture);
    }

    // Absent means 8-bit codes (every file before 7-bit codes existed); 127 only in a FormatReducedRange file.
    private static int MaxCode(Dictionary<string, string> meta, string prefix)
    {
        if (!meta.TryGetValue(prefix + "_max_code", out var text)) return 255;
        if (text != "127" && text != "255") throw new FormatException($"{prefix}_max_code is '{text}'; expected 127 or 255");
        if (text == "127" && meta["format"] != FormatReducedRange) throw new FormatException($"{prefix}_max_code is 127 in a '{meta["format"]}' file");
        return text == "127" ? 127 : 255;
    }

    private static ActivationQuantization Quant(Tensor scale, Tensor zeroPoint, int maxCode)
    {
        if (scale.Length != 1 || zeroPoint.Length != 1) throw new FormatException("a scale or zero point is not a single value");
        float s = scale.AsReadOnlySpan()[0];
        if (!(s > 0) || !float.IsFinite(s)) throw new FormatException($"scale {s} is not finite and positive");
        return new ActivationQuantization(s, Ints(zeroPoint, 0, maxCode)[0], maxCode);
    }

    // Integer tensors arrive converted to float (exactly, for 8-bit values); anything else is a corrupt file.
    private static int[] Ints(Tensor t, int min, int max) => t.ToArray().Select(v =>
        v >= min && v <= max && v == MathF.Floor(v) ? (int)v : throw new FormatException($"value {v} is not an integer in [{min}, {max}]")).ToArray();

    internal static byte[] Floats(ReadOnlySpan<float> v)
    {
        var b = new byte[4 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), v[i]);
        return b;
    }

    internal static void Write(Stream s, List<(string Name, string DType, int[] Shape, byte[] Data)> tensors, Dictionary<string, string> meta)
    {
        var entries = new List<SafeTensorsEntry>();
        long offset = 0;
        foreach (var t in tensors)
        {
            entries.Add(new SafeTensorsEntry(t.Name, t.DType, t.Shape, offset, offset + t.Data.Length));
            offset += t.Data.Length;
        }
        byte[] header = SafeTensorsHeader.Build(entries, meta);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        s.Write(prefix);
        s.Write(header);
        foreach (var t in tensors) s.Write(t.Data);
        s.Flush();
    }
}
