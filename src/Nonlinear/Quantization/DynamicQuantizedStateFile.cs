using System.Globalization;
using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// A model's state dict with its Linear weights stored as int8 (one safetensors file, written atomically): for each
/// dynamically quantized Linear "{prefix}{name}.weight" is I8 [out, in] and "{prefix}{name}.weight_scale" F32 [out];
/// every other tensor is F32 as in the float checkpoint. Metadata: the caller's (the float checkpoint's run description),
/// "format" = the caller's tag, "int8_layers" = the quantized names (comma-separated) and "activation_scale" =
/// "per_row" or "per_tensor". Reading gives a float state dict whose quantized weights are s_j·W_q (so a plain
/// LoadStateDict restores the dequantized model) and the int8 layers to <see cref="DynamicQuantization.Attach"/>.
/// </summary>
public static class DynamicQuantizedStateFile
{
    /// <summary>Writes the state of <paramref name="model"/> with the Linear weights of <paramref name="layers"/> as int8.</summary>
    /// <exception cref="ArgumentException">A layer name without a "{name}.weight" in the state dict.</exception>
    public static void Save(string path, Module model, IReadOnlyDictionary<string, DynamicQuantizedLinear> layers, string prefix,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(metadata);
        var state = model.StateDict();
        var granularity = layers.Values.Select(l => l.Granularity).Distinct().ToArray();
        if (granularity.Length > 1) throw new ArgumentException("all int8 layers of one file share an activation scale granularity.", nameof(layers));
        var meta = new Dictionary<string, string>(metadata)
        {
            ["int8_layers"] = string.Join(",", layers.Keys),
            ["activation_scale"] = granularity.Length == 0 || granularity[0] == DynamicActivationScale.PerRow ? "per_row" : "per_tensor",
        };
        var tensors = new List<(string Name, string DType, int[] Shape, byte[] Data)>();
        foreach (var (name, q) in layers)
            if (!state.ContainsKey(name + ".weight")) throw new ArgumentException($"the model has no tensor '{name}.weight'.", nameof(layers));
        foreach (var (key, t) in state)
        {
            string layer = key.EndsWith(".weight", StringComparison.Ordinal) ? key[..^".weight".Length] : "";
            if (layers.TryGetValue(layer, out var q))
            {
                tensors.Add((prefix + key, "I8", [q.OutFeatures, q.InFeatures], q.Weight.ToArray().Select(v => (byte)v).ToArray()));
                tensors.Add((prefix + layer + ".weight_scale", "F32", [q.OutFeatures], QuantizedModelFile.Floats(q.WeightScale.Span)));
            }
            else tensors.Add((prefix + key, "F32", t.Shape.ToArray(), QuantizedModelFile.Floats(t.Contiguous().AsReadOnlySpan())));
        }
        AtomicFile.Write(path, s => QuantizedModelFile.Write(s, tensors, meta));
    }

    /// <summary>
    /// Reads a file written by <see cref="Save"/>: the float tensors (keys with <paramref name="prefix"/>, int8 weights
    /// dequantized), the int8 layers by name, and the metadata.
    /// </summary>
    /// <exception cref="InvalidDataException">A listed layer without its int8 weight or scale, a code outside [−127, 127], or a bad scale.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, DynamicQuantizedLinear> Layers, Dictionary<string, string> Metadata) Load(string path, string prefix)
    {
        var (tensors, meta) = SafeTensors.Load(path);
        try
        {
            var granularity = meta.GetValueOrDefault("activation_scale") switch
            {
                "per_row" => DynamicActivationScale.PerRow,
                "per_tensor" => DynamicActivationScale.PerTensor,
                var other => throw new FormatException($"activation_scale is '{other ?? "missing"}'; expected per_row or per_tensor"),
            };
            var names = (meta.GetValueOrDefault("int8_layers") ?? throw new FormatException("int8_layers is missing"))
                .Split(',', StringSplitOptions.RemoveEmptyEntries);
            var layers = new Dictionary<string, DynamicQuantizedLinear>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                string wk = prefix + name + ".weight", sk = prefix + name + ".weight_scale", bk = prefix + name + ".bias";
                if (!tensors.TryGetValue(wk, out var w) || w.Rank != 2) throw new FormatException($"'{wk}' is missing or not [out, in]");
                if (!tensors.Remove(sk, out var s) || s.Rank != 1 || s.Size(0) != w.Size(0)) throw new FormatException($"'{sk}' is missing or not [{w.Size(0)}]");
                var codes = w.ToArray().Select(v => v >= -127 && v <= 127 && v == MathF.Floor(v) ? (sbyte)v
                    : throw new FormatException($"'{wk}' holds {v.ToString(CultureInfo.InvariantCulture)}, not an int8 code in [−127, 127]")).ToArray();
                var scales = s.ToArray();
                var bias = tensors.TryGetValue(bk, out var b) ? b.ToArray() : new float[w.Size(0)];
                layers[name] = new DynamicQuantizedLinear(codes, scales, bias, w.Size(1), granularity);
                var dq = new float[codes.Length];
                for (int i = 0; i < dq.Length; i++) dq[i] = scales[i / w.Size(1)] * codes[i];
                tensors[wk] = Tensor.FromArray(dq, w.Size(0), w.Size(1));
            }
            return (tensors, layers, meta);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: corrupt int8 state file: {e.Message}", e);
        }
    }
}
