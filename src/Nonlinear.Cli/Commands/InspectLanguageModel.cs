using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.IO;
using Nonlinear.Layers.Transformer;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `inspect` on a checkpoint written by `lm train`: the model runs over consecutive context-length windows of its own
/// text (the training part for --split train, the held-out end for test), and each captured tensor [B, T, D] becomes
/// one row per token (<see cref="SpatialLayout.TokensAsRows"/>), so "units" are the D features of the residual stream or
/// the MLP's hidden units and "input" in unit@input is a token. By default the residual stream after every block and
/// every MLP's hidden activations are captured (massive activations live in the first, lazy neurons in the second).
/// </summary>
internal static class InspectLanguageModel
{
    /// <summary>Windows per split: enough tokens for stable statistics (32 k at context 128) at a few seconds of capture.</summary>
    internal const int MaxWindows = 256;

    /// <summary>Whether <paramref name="path"/> holds a language-model checkpoint (its format tag).</summary>
    internal static bool IsLanguageModel(string path) =>
        SafeTensors.Load(path).Metadata.TryGetValue("format", out var f) && f == LanguageModelCheckpoint.Format;

    internal static InspectTarget Load(string path, string? data, string? layersText)
    {
        if (data is not null)
            throw new InvalidInputException($"--data: a language-model checkpoint is inspected on windows of the text it was trained on; got '{data}'.");
        var (loaded, model, train, validation) = LoadWindows(path);
        var layers = layersText is not null
            ? InspectTarget.ParseLayers(layersText, model)
            : Enumerable.Range(0, loaded.Config.Layers).SelectMany(i => new[] { $"blocks.{i}.hook_resid_post", $"blocks.{i}.mlp.hook_post" }).ToList();
        return new InspectTarget(model, train, validation,
            $"{path}: {loaded.Config.Layers}x{loaded.Config.Width} mlp={loaded.Config.Mlp} on {loaded.TextSource}", layers, SpatialLayout.TokensAsRows);
    }

    /// <summary>The checkpoint's model (eval mode) and up to <see cref="MaxWindows"/> windows of its text's training part and held-out end (`inspect`, `sae`).</summary>
    internal static (LanguageModelCheckpoint.Loaded Loaded, DecoderTransformer Model, Dataset Train, Dataset Validation) LoadWindows(string path)
    {
        var loaded = LanguageModelCheckpoint.Load(path);
        var model = LanguageModelCheckpoint.Model(loaded);
        var (train, validation) = TextCorpus.Load(loaded.TextSource).Split(loaded.Options.ValidationFraction);
        return (loaded, model, Windows(loaded, train, "train"), Windows(loaded, validation, "validation"));
    }

    // Consecutive non-overlapping windows of T ids as features [N, T]; the label is the character after the window
    // (a valid class, unused by inspect's statistics).
    private static Dataset Windows(LanguageModelCheckpoint.Loaded loaded, string text, string split)
    {
        var ids = loaded.Tokenizer.Encode(text);
        int T = loaded.Config.Context, n = Math.Min(MaxWindows, (ids.Length - 1) / T);
        if (n < 1) throw new InvalidInputException($"the {split} part of '{loaded.TextSource}' has {ids.Length} tokens; inspecting needs at least {T + 1} (one window of the context).");
        var features = new float[n * T];
        var labels = new int[n];
        for (int w = 0; w < n; w++)
        {
            for (int t = 0; t < T; t++) features[w * T + t] = ids[w * T + t];
            labels[w] = ids[(w + 1) * T];
        }
        return Dataset.Classification(features, labels, T, loaded.Tokenizer.VocabSize, $"{loaded.TextSource} {split}, {n} windows of {T} tokens");
    }
}
