using Nonlinear.LocalLearning;
using System.CommandLine;
using Nonlinear.Cli.Runs;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Quantization.Qat;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear train`: train a classifier, optionally from given initial weights, saving and resuming checkpoints.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var o = new RunOptions();
        var save = new Option<string?>("--save") { Description = "Checkpoint file (safetensors) written atomically after every epoch." };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint (model, optimiser and data order); --epochs is the total." };
        var init = new Option<string?>("--init") { Description = "Initial weights from a safetensors state dict (e.g. torch's save_file(model.state_dict())) or a checkpoint's model; keys must match the model (see --map)." };
        var map = KeyMapOption();
        var store = StoreOption.Create();
        var learning = new Option<string>("--learning")
        {
            Description = "How the model learns: bp (backpropagation), fa (feedback alignment), dfa (direct feedback alignment), ff[(theta=2,label=auto,predict=goodness|softmax,score_first=true)] " +
                          "(forward-forward on the mlp's hidden layers) or hebbian-krotov[(p=3,k=7,delta=0.4,eps=0.02,epochs=10,batch=100,n=4.5)] (Krotov–Hopfield synapses learned " +
                          "without labels, then a read-out on relu(x)^n trained for --epochs; mlp:H). All but bp train mlp models. Recorded in checkpoints.",
            DefaultValueFactory = _ => "bp",
        };
        var filters = new Option<string?>("--filters") { Description = "After training, draw the first layer's weights (up to 100 units) as images in this PNG (square-image data)." };
        var qat = new Option<string?>("--qat") { Description = "Quantization-aware training: " + QatSpec.Expected + ". Linear weights and layer inputs are fake-quantized (the model string stays the same); recorded in the checkpoint, so `quantize` of a --qat 8 checkpoint uses the learned ranges and `eval` reports fake-quant and int8 accuracy." };
        var cmd = new Command("train", "Train a classifier on a data set.");
        o.AddTo(cmd);
        cmd.Options.Add(save);
        cmd.Options.Add(resume);
        cmd.Options.Add(init);
        cmd.Options.Add(map);
        cmd.Options.Add(store);
        cmd.Options.Add(learning);
        cmd.Options.Add(qat);
        cmd.Options.Add(filters);
        cmd.SetAction(pr =>
        {
            var typed = o.Explicit(pr);
            if (pr.GetResult(learning) is { Implicit: false }) typed.Add("--learning");
            var settings = WithQat(o.Read(pr), pr.GetValue(qat)) with { Learning = LearningSpec.Parse(pr.GetValue(learning)!) };
            return Run(settings, pr.GetValue(save), pr.GetValue(resume), pr.GetValue(init), pr.GetValue(map) ?? [], typed, pr.GetValue(store), pr.GetValue(filters));
        });
        return cmd;
    }

    private static RunSettings WithQat(RunSettings s, string? qat) => qat is null ? s : s with { Qat = QatSpec.Parse(qat) };

    /// <summary>The repeatable --map option of `train --init` and `eval --weights`.</summary>
    public static Option<string[]> KeyMapOption() => new("--map")
    {
        Description = "Rename weight keys by prefix, OLD=>NEW (e.g. 'fc1.=>0.' for a torch module with attribute fc1 → our layer 0), repeatable, or a FILE.json {\"OLD\": \"NEW\"}.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Weights from <paramref name="path"/>, renamed by <paramref name="maps"/>, loaded strictly into <paramref name="model"/>.</summary>
    /// <param name="model">The model to fill.</param>
    /// <param name="option">The option the path came from, for errors.</param>
    /// <param name="path">The weights file.</param>
    /// <param name="maps">--map rules.</param>
    /// <param name="quantizerStateMayBeMissing">For `train --qat --init FLOAT`: the quantizers' state (ranges, steps) may be
    /// absent and starts fresh; every other key must still match.</param>
    public static void LoadWeights(Module model, string option, string path, string[] maps, bool quantizerStateMayBeMissing = false)
    {
        CliPaths.RequireInputFile(option, path);
        var keyMap = StateDictKeyMap.Parse(maps);
        var weights = keyMap.Apply(Checkpoint.LoadWeights(path));
        try
        {
            if (!quantizerStateMayBeMissing) model.LoadStateDict(weights);
            else
            {
                var r = model.LoadStateDict(weights, strict: false);
                var missing = r.MissingKeys.Where(k => !k.Contains("_quant.", StringComparison.Ordinal)).ToList();
                if (missing.Count > 0 || r.UnexpectedKeys.Count > 0)
                    throw new InvalidInputException(new StateDictLoadResult(missing, r.UnexpectedKeys).ToString());
            }
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException($"{option} '{path}': the weights do not fit the model: {UserError.Describe(e)}" +
                                            (keyMap.Rules.Count == 0 ? " (rename keys with --map OLD=>NEW)" : ""), e);
        }
    }

    private static int Run(RunSettings s, string? save, string? resume, string? init, string[] maps, HashSet<string> explicitOptions, string? storeUrl, string? filters)
    {
        if (resume is not null && init is not null)
            throw new InvalidInputException("--init and --resume exclude each other: --resume continues a run (weights and optimiser), --init starts a new one from given weights.");
        if (maps.Length > 0 && init is null) throw new InvalidInputException("--map renames the keys of --init weights; give --init FILE too.");
        if (resume is not null)
        {
            CliPaths.RequireInputFile("--resume", resume);
            var recorded = Checkpoint.Load(resume).Metadata;
            var typedQat = s.Qat;
            s = s.MergeFromCheckpoint(recorded, explicitOptions, resume).WithTestFrom(recorded);
            if (typedQat is not null && typedQat != s.Qat)
                throw new InvalidInputException($"--qat is {typedQat} but the checkpoint {resume} was trained with {(s.Qat is null ? "no --qat" : $"--qat {s.Qat}")}; omit --qat when resuming.");
        }
        if (save is not null) CliPaths.RequireOutputFile("--save", save, null, ("--data", s.Data), ("--init", init));
        if (filters is not null) CliPaths.RequireOutputFile("--filters", filters, ".png", ("--data", s.Data), ("--save", save));
        Parallelism.MaxThreads = s.Threads;
        var (train, test) = s.LoadData();
        var trainer = s.BuildTrainer(train);
        if (s.Learning.Mode != LearningMode.Backprop) Console.WriteLine($"learning: {s.Learning} — {LocalLearningReport.Describe(s.Learning, s.Options.Seed)}");
        if (init is not null)
        {
            LoadWeights(trainer.Model, "--init", init, maps, quantizerStateMayBeMissing: s.Qat is not null);
            Console.WriteLine($"initial weights from {init}");
        }
        if (resume is not null)
        {
            var (model, optim, meta) = Checkpoint.Load(resume);
            Checkpoint.Restore(trainer, model, optim, meta, resume);
            Console.WriteLine($"resumed from {resume} after epoch {trainer.EpochsDone}");
            if (trainer.EpochsDone > s.Options.Epochs)
                throw new InvalidInputException($"--epochs {s.Options.Epochs} is below the {trainer.EpochsDone} epoch(s) the checkpoint {resume} has done; --epochs is the total.");
        }
        if (trainer.Model is KrotovHopfieldNet kh && resume is null && init is null) LocalLearningReport.FitSynapses(kh, train, s.Options.Seed);
        var described = s.Describe();
        Console.WriteLine($"{s.Data}{(s.Test is null ? "" : $" (test {s.Test})")}: {train.Count} train / {test.Count} test, {train.FeatureCount} features, {train.NumClasses} classes; " +
                          $"model {s.Model} ({trainer.Model.ParameterCount:N0} parameters), activation {s.ActivationText}, " +
                          $"{described["optimizer"]} lr {described["lr"]}, batch {described["batch"]}, {s.Threads} thread(s)" + (s.Qat is null ? "" : $", quantization-aware ({s.Qat})"));
        int steps = (s.Options.Epochs - trainer.EpochsDone) * s.BatchesPerEpoch(train);
        int savedEpoch = 0;
        var config = RunRecorder.Config(described, s.Threads, s.Options.Epochs);
        if (resume is not null) config["resumed_from"] = resume;
        if (init is not null) config["init"] = init;
        using var recorder = RunRecorder.Open(StoreOption.Resolve(storeUrl, save), new Nonlinear.Store.RunStart("train", config) { Checkpoint = save is null ? null : Path.GetFullPath(save), Environment = Nonlinear.Store.RunEnvironment.Capture(s.Threads) });
        IReadOnlyList<EpochResult> history;
        try
        {
            history = ProgressView.Run("train", steps, obs => trainer.Fit(train, test, obs, t =>
            {
                recorder?.Epoch(t.History[^1]);
                // A diverged epoch's weights are NaN: keep the last good checkpoint instead of replacing it with them.
                if (save is null || t.History[^1].Diverged) return;
                Checkpoint.Save(save, t, described);
                savedEpoch = t.EpochsDone;
            }));
            recorder?.Finish(history, savedEpoch > 0 ? Path.GetFullPath(save!) : null);
        }
        catch { recorder?.Fail(); throw; }
        if (recorder is not null) Console.WriteLine($"recorded as run {recorder.Id} in {recorder.StoreUrl}");
        if (history.Count > 0 && history[^1].Diverged)
            Console.WriteLine("training diverged (the loss is not finite); try a smaller --lr.");
        if (s.Learning.Mode != LearningMode.Backprop || explicitOptions.Contains("--learning")) LocalLearningReport.Summarise(trainer.Model, test);
        if (filters is not null) LocalLearningReport.WriteFilters(trainer.Model, filters, s.Learning);
        if (save is null) return 0;
        if (history.Count == 0)
        {
            // Nothing left to train: the user still asked for the file, so write the state we have.
            Checkpoint.Save(save, trainer, described);
            Console.WriteLine($"nothing to train ({trainer.EpochsDone} of {s.Options.Epochs} epochs done); saved {save} unchanged");
        }
        else if (history[^1].Diverged)
            Console.WriteLine(savedEpoch == 0 ? $"{save} was not written: the first epoch of this run diverged"
                : $"{save} keeps epoch {savedEpoch}, the last epoch before the loss diverged");
        else Console.WriteLine($"saved {save}");
        return 0;
    }
}
