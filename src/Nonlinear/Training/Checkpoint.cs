using System.Globalization;
using System.Text.RegularExpressions;
using Nonlinear.IO;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// A training checkpoint as one safetensors file: the model's state under "model.", the optimiser's under
/// "optim.", and in the metadata the format tag, epochs done and the run's description (so `eval` and
/// `--resume` can rebuild the model). Written atomically. Reading checks everything a resume relies on (bounded
/// integers, finite weights, complete optimiser moments) and reports a bad file as "corrupt checkpoint".
/// </summary>
public static partial class Checkpoint
{
    /// <summary>Format tag stored in the metadata.</summary>
    public const string Format = "nonlinear-checkpoint/1";

    /// <summary>Saves model, optimiser and progress of <paramref name="trainer"/> with <paramref name="description"/> (model spec, activation, data…) in the metadata.</summary>
    public static void Save(string path, Trainer trainer, IReadOnlyDictionary<string, string> description)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(description);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (k, v) in trainer.Model.StateDict()) tensors["model." + k] = v;
        var state = trainer.Optimizer.StateDict();
        foreach (var (k, v) in state.Tensors) tensors["optim." + k] = Tensor.FromArray(v, v.Length);
        var meta = new Dictionary<string, string>(description)
        {
            ["format"] = Format,
            ["epochs_done"] = trainer.EpochsDone.ToString(CultureInfo.InvariantCulture),
        };
        // Scalars (learning rate, step counts) go to the metadata in round-trip form so a resume is exact.
        foreach (var (k, v) in state.Scalars) meta["optim." + k] = v.ToString("R", CultureInfo.InvariantCulture);
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Reads a checkpoint's tensors and metadata, checking its format tag.</summary>
    /// <exception cref="InvalidDataException">Not a Nonlinear checkpoint, or a corrupt file.</exception>
    public static (Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer, Dictionary<string, string> Metadata) Load(string path)
    {
        var (tensors, meta) = SafeTensors.Load(path);
        if (!meta.TryGetValue("format", out var f) || f != Format)
            throw new InvalidDataException($"{path}: not a Nonlinear checkpoint (metadata 'format' is '{f ?? "missing"}'; expected '{Format}').");
        var model = new Dictionary<string, Tensor>();
        var optim = new Dictionary<string, Tensor>();
        foreach (var (k, v) in tensors)
        {
            if (k.StartsWith("model.", StringComparison.Ordinal)) model[k["model.".Length..]] = v;
            else if (k.StartsWith("optim.", StringComparison.Ordinal)) optim[k["optim.".Length..]] = v;
            else throw new InvalidDataException($"{path}: unexpected tensor '{k}' (expected names starting with 'model.' or 'optim.').");
        }
        return (model, optim, meta);
    }

    /// <summary>
    /// The model weights in <paramref name="path"/>: the "model." part of a Nonlinear checkpoint, or every tensor of a
    /// plain safetensors state dict without our metadata (as torch writes with <c>save_file(model.state_dict())</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">A corrupt file.</exception>
    public static Dictionary<string, Tensor> LoadWeights(string path)
    {
        var (tensors, meta) = SafeTensors.Load(path);
        if (!meta.TryGetValue("format", out var f) || f != Format) return tensors;
        return tensors.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value);
    }

    /// <summary>Restores model, optimiser and epoch counter into <paramref name="trainer"/> from a loaded checkpoint.</summary>
    /// <exception cref="InvalidDataException">
    /// "corrupt checkpoint: …": epochs_done out of [0, epochs], a weight or optimiser value that is not finite, a
    /// negative second moment, a moment without its step count, or a state that does not fit the model.
    /// </exception>
    public static void Restore(Trainer trainer, Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, Dictionary<string, string> metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var meta = new CheckpointMetadata(metadata, path);
        // A run never does more epochs than its total; files written without a total are bounded by the largest one.
        int total = metadata.ContainsKey("epochs") ? meta.Int("epochs", 1, TrainOptions.MaxEpochs) : TrainOptions.MaxEpochs;
        int done = meta.Int("epochs_done", 0, total);
        foreach (var (k, v) in model) RequireFinite(meta, "model tensor '" + k + "'", v.ToArray(), nonNegative: false);
        var tensors = new OrderedDictionary<string, float[]>();
        foreach (var (k, v) in optimizer)
        {
            var values = v.ToArray();
            // Second moments are averages of squares: a negative one would make Adam take the square root of it.
            RequireFinite(meta, "optimizer tensor '" + k + "'", values, nonNegative: k.EndsWith("exp_avg_sq", StringComparison.Ordinal));
            tensors[k] = values;
        }
        var scalars = ReadScalars(meta, metadata);
        // Adam's moments are meaningless without the step count that debiases them; the optimiser would skip a
        // parameter whose step is missing and silently restart its moments, so an exact resume would not be exact.
        foreach (var k in tensors.Keys)
            if (MomentKey().Match(k) is { Success: true } m && !scalars.ContainsKey($"param.{m.Groups[1].Value}.step"))
                throw meta.Corrupt($"optim.param.{m.Groups[1].Value}.step", $"is missing but its moment '{k}' is present");
        try
        {
            trainer.Model.LoadStateDict(model);
            trainer.Optimizer.LoadStateDict(new OptimizerState(tensors, scalars));
        }
        catch (ArgumentException e)
        {
            // The model was built from the checkpoint's own description, so a state that does not fit it is a bad file.
            throw new InvalidDataException($"{path}: corrupt checkpoint: its state does not fit the model it describes ({MessageText.WithoutParameter(e).ReplaceLineEndings(" ")})", e);
        }
        trainer.EpochsDone = done;
    }

    private static OrderedDictionary<string, double> ReadScalars(CheckpointMetadata meta, Dictionary<string, string> metadata)
    {
        var scalars = new OrderedDictionary<string, double>();
        foreach (var (k, v) in metadata.Where(kv => kv.Key.StartsWith("optim.", StringComparison.Ordinal)))
        {
            string name = k["optim.".Length..];
            bool step = name.EndsWith(".step", StringComparison.Ordinal);
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d)
                || (name == "lr" && !(d > 0)) || d < 0 || (step && (d < 1 || d != Math.Floor(d) || d > 1L << 53)))
                throw meta.Corrupt(k, $"is '{(v.Length <= 40 ? v : v[..40] + "…")}'; expected {(step ? "a positive integer" : name == "lr" ? "a positive finite number" : "a finite number ≥ 0")}");
            scalars[name] = d;
        }
        return scalars;
    }

    private static void RequireFinite(CheckpointMetadata meta, string what, float[] values, bool nonNegative)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]) || (nonNegative && values[i] < 0))
                throw new InvalidDataException($"{meta.Path}: corrupt checkpoint: {what} holds {values[i].ToString(CultureInfo.InvariantCulture)} at index {i}" +
                                               $" (expected {(nonNegative ? "finite values ≥ 0" : "finite values")}).");
    }

    [GeneratedRegex(@"^param\.(\d+)\.(exp_avg|exp_avg_sq|max_exp_avg_sq)$")]
    private static partial Regex MomentKey();
}
