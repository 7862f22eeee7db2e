using System.Text.Json;
using System.Text.Json.Nodes;
using Nonlinear.IO;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Saves and loads SAEs in the SAELens layout: a folder with <c>cfg.json</c> and <c>sae_weights.safetensors</c>
/// (W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_in], b_dec, and threshold for JumpReLU; b_gate, r_mag, b_mag
/// for Gated). BatchTopK is written as the JumpReLU it is at inference (θ on every latent) and Matryoshka as TopK,
/// as SAELens does; a <c>nonlinear_architecture</c> key brings the training architecture back on load.
/// </summary>
public static class SaeFiles
{
    /// <summary>The config file name.</summary>
    public const string ConfigFile = "cfg.json";
    /// <summary>The weights file name.</summary>
    public const string WeightsFile = "sae_weights.safetensors";

    /// <summary>Writes <paramref name="sae"/> into the folder <paramref name="dir"/> (created if needed), each file atomically.</summary>
    public static void Save(SparseAutoencoder sae, string dir)
    {
        ArgumentNullException.ThrowIfNull(sae);
        ArgumentException.ThrowIfNullOrEmpty(dir);
        Directory.CreateDirectory(dir);
        var cfg = sae.Config;
        var arch = cfg.Architecture;
        string fileArch = arch switch { BatchTopKSae => "jumprelu", MatryoshkaSae => "topk", _ => arch.Name };
        var tensors = new Dictionary<string, Tensor>();
        foreach (var name in sae.Params.Names)
        {
            var shape = SaeParams<float>.Shape(cfg, name);
            if (name == "log_threshold")
                tensors["threshold"] = Tensor.FromArray(Array.ConvertAll(sae.Params[name], v => (float)Math.Exp(v)), shape);
            else
                tensors[name] = Tensor.FromArray((float[])sae.Params[name].Clone(), shape);
        }
        if (arch is BatchTopKSae)
        {
            var thr = new float[cfg.DSae];
            Array.Fill(thr, (float)sae.BatchThreshold);
            tensors["threshold"] = Tensor.FromArray(thr, cfg.DSae);
        }
        bool topk = fileArch == "topk";
        var json = new JsonObject
        {
            ["architecture"] = fileArch,
            ["d_in"] = cfg.DIn,
            ["d_sae"] = cfg.DSae,
            ["dtype"] = "float32",
            ["device"] = "cpu",
            ["apply_b_dec_to_input"] = cfg.ApplyBDecToInput,
            ["normalize_activations"] = "none",
            ["reshape_activations"] = "none",
            ["activation_fn_str"] = topk ? "topk" : "relu",
            ["activation_fn_kwargs"] = topk ? new JsonObject { ["k"] = cfg.K } : new JsonObject(),
            ["hook_name"] = sae.HookName,
            ["metadata"] = new JsonObject { ["hook_name"] = sae.HookName },
            ["nonlinear_architecture"] = arch.Name,
        };
        if (topk) json["k"] = cfg.K;
        if (cfg.IsTranscoder) { json["d_out"] = cfg.DOut; json["is_transcoder"] = true; }
        if (arch is MatryoshkaSae) json["matryoshka_widths"] = new JsonArray([.. MatryoshkaSae.Widths(cfg).Select(w => (JsonNode)w)]);
        SafeTensors.Save(Path.Combine(dir, WeightsFile), tensors);
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads an SAE folder written by <see cref="Save"/> or by SAELens (standard, topk, jumprelu, gated).</summary>
    /// <exception cref="InvalidDataException">A file is missing or corrupt, or a key is missing or has a wrong value or shape; the message names the key.</exception>
    public static SparseAutoencoder Load(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string cfgPath = Path.Combine(dir, ConfigFile), wPath = Path.Combine(dir, WeightsFile);
        if (!File.Exists(cfgPath)) throw new InvalidDataException($"{dir}: no {ConfigFile} (an SAE folder holds {ConfigFile} and {WeightsFile}).");
        if (!File.Exists(wPath)) throw new InvalidDataException($"{dir}: no {WeightsFile}.");
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(cfgPath)) as JsonObject ?? throw new InvalidDataException($"{cfgPath}: not a JSON object."); }
        catch (JsonException e) { throw new InvalidDataException($"{cfgPath}: invalid JSON ({e.Message})."); }
        // A value of the wrong JSON kind, or a key given twice, surfaces from System.Text.Json as
        // InvalidOperationException/ArgumentException: the file is corrupt, not the caller's input.
        SaeConfig cfg;
        string fileArch;
        string? hookName;
        try { (cfg, fileArch, hookName) = ReadConfig(json, cfgPath); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{cfgPath}: {e.Message}");
        }

        var (tensors, _) = SafeTensors.Load(wPath);
        // Every shape is checked against the weights before anything of cfg.json's sizes is allocated: a config that
        // claims d_sae = 16M beside small weights is refused, not answered with gigabytes of zeros.
        foreach (var name in SaeParams<float>.NamesOf(cfg))
        {
            string key = name == "log_threshold" ? "threshold" : name;
            if (!tensors.TryGetValue(key, out var t)) throw new InvalidDataException($"{wPath}: tensor '{key}' is missing (architecture {fileArch}).");
            var shape = SaeParams<float>.Shape(cfg, name);
            if (!Shapes.Equal(t.Shape, shape)) throw new InvalidDataException($"{wPath}: tensor '{key}' has shape {Shapes.Format(t.Shape)}; expected {Shapes.Format(shape)}.");
        }
        var p = new SaeParams<float>(cfg);
        foreach (var name in p.Names)
        {
            var v = tensors[name == "log_threshold" ? "threshold" : name].Contiguous().AsReadOnlySpan();
            if (name == "log_threshold")
                for (int i = 0; i < v.Length; i++)
                {
                    if (!(v[i] > 0)) throw new InvalidDataException($"{wPath}: tensor 'threshold' must be > 0; entry {i} is {v[i]}.");
                    p[name][i] = MathF.Log(v[i]);
                }
            else v.CopyTo(p[name]);
        }
        var sae = new SparseAutoencoder(cfg, p) { HookName = hookName };
        if (cfg.Architecture is BatchTopKSae)
        {
            if (!tensors.TryGetValue("threshold", out var thr) || thr.Length != cfg.DSae) throw new InvalidDataException($"{wPath}: tensor 'threshold' [d_sae] is missing (batchtopk).");
            sae.BatchThreshold = thr.Contiguous().AsReadOnlySpan()[0];
        }
        return sae;
    }

    // Everything cfg.json says, checked; System.Text.Json's own exceptions are turned into InvalidDataException by the caller.
    private static (SaeConfig Config, string FileArchitecture, string? HookName) ReadConfig(JsonObject json, string cfgPath)
    {
        string fileArch = Str(json, "architecture", cfgPath);
        string archName = json["nonlinear_architecture"] is JsonValue nv && nv.TryGetValue(out string? na) ? na : fileArch;
        SaeArchitecture arch;
        try { arch = SaeArchitecture.Parse(archName); }
        catch (InvalidInputException) { throw new InvalidDataException($"{cfgPath}: key 'architecture' = '{archName}' is not one of {string.Join(", ", SaeArchitecture.All.Select(a => a.Name))}."); }
        int dIn = Int(json, "d_in", cfgPath), dSae = Int(json, "d_sae", cfgPath);
        int dOut = json.ContainsKey("d_out") ? Int(json, "d_out", cfgPath) : dIn;
        int k = json.ContainsKey("k") ? Int(json, "k", cfgPath)
            : json["activation_fn_kwargs"] is JsonObject kw && kw.ContainsKey("k") ? Int(kw, "k", cfgPath) : 32;
        bool applyBDec = json["apply_b_dec_to_input"] is JsonValue ab && ab.TryGetValue(out bool abv) ? abv : true;
        if (json["normalize_activations"] is JsonValue norm && norm.TryGetValue(out string? ns) && ns is not ("none" or null))
            throw new InvalidDataException($"{cfgPath}: key 'normalize_activations' = '{ns}'; only 'none' (scaling folded into the weights) is supported.");
        var widths = json["matryoshka_widths"] is JsonArray wa
            ? wa.Select(w => w is JsonValue wv && wv.TryGetValue(out int width) ? width : throw new InvalidDataException($"{cfgPath}: key 'matryoshka_widths' holds a value that is not an integer.")).ToArray()
            : [];
        var cfg = new SaeConfig(arch, dIn, dSae, dOut, Math.Min(k, dSae), applyBDec) { IsTranscoder = dOut != dIn || json["is_transcoder"] is JsonValue, MatryoshkaWidths = widths };
        cfg.Validate();
        return (cfg, fileArch, json["hook_name"] is JsonValue hv && hv.TryGetValue(out string? h) ? h : null);
    }

    private static string Str(JsonObject o, string key, string path) =>
        o[key] is JsonValue v && v.TryGetValue(out string? s) && s is not null ? s : throw new InvalidDataException($"{path}: key '{key}' is missing or not a string.");

    private static int Int(JsonObject o, string key, string path) =>
        o[key] is JsonValue v && v.TryGetValue(out int i) && i >= 1 && i <= 1 << 24 ? i : throw new InvalidDataException($"{path}: key '{key}' is missing or not an integer in [1, {1 << 24}].");
}
