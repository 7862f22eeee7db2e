using System.Globalization;
using Nonlinear.IO;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// A training checkpoint as one safetensors file: the model's state under "model.", the optimiser's under
/// "optim.", and in the metadata the format tag, epochs done and the run's description (so `eval` and
/// `--resume` can rebuild the model). Written atomically.
/// </summary>
public static class Checkpoint
{
    /// <summary>Format tag stored in the metadata.</summary>
    public const string Format = "nonlinear-checkpoint/1";

    /// <summary>Saves model, optimiser and progress of <paramref name="trainer"/> with <paramref name="description"/> (model spec, activation, data…) in the metadata.</summary>
    public static void Save(string path, Trainer trainer, IReadOnlyDictionary<string, string> description)
    {
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

    /// <summary>Restores model, optimiser and epoch counter into <paramref name="trainer"/> from a loaded checkpoint.</summary>
    public static void Restore(Trainer trainer, Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, Dictionary<string, string> metadata, string path)
    {
        trainer.Model.LoadStateDict(model);
        var tensors = new OrderedDictionary<string, float[]>();
        foreach (var (k, v) in optimizer) tensors[k] = v.ToArray();
        var scalars = new OrderedDictionary<string, double>();
        foreach (var (k, v) in metadata.Where(kv => kv.Key.StartsWith("optim.", StringComparison.Ordinal)))
            scalars[k["optim.".Length..]] = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
                : throw new InvalidDataException($"{path}: metadata '{k}' = '{v}' is not a number.");
        trainer.Optimizer.LoadStateDict(new OptimizerState(tensors, scalars));
        if (!metadata.TryGetValue("epochs_done", out var e) || !int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out int done))
            throw new InvalidDataException($"{path}: metadata 'epochs_done' is missing or not a number.");
        trainer.EpochsDone = done;
    }
}
