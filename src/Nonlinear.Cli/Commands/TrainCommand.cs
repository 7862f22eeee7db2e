using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear train`: train an MLP classifier, optionally saving and resuming checkpoints.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var o = new RunOptions();
        var save = new Option<string?>("--save") { Description = "Checkpoint file (safetensors) written atomically after every epoch." };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint (model, optimiser and data order); --epochs is the total." };
        var cmd = new Command("train", "Train an MLP classifier on a data set.");
        o.AddTo(cmd);
        cmd.Options.Add(save);
        cmd.Options.Add(resume);
        cmd.SetAction(pr => Run(o.Read(pr), pr.GetValue(save), pr.GetValue(resume), o.Explicit(pr)));
        return cmd;
    }

    private static int Run(RunSettings s, string? save, string? resume, HashSet<string> explicitOptions)
    {
        if (resume is not null)
        {
            var recorded = Checkpoint.Load(resume).Metadata;
            s = s.MergeFromCheckpoint(recorded, explicitOptions, resume).WithTestFrom(recorded);
        }
        Parallelism.MaxThreads = s.Threads;
        var (train, test) = s.LoadData();
        var trainer = s.BuildTrainer(train);
        if (resume is not null)
        {
            var (model, optim, meta) = Checkpoint.Load(resume);
            Checkpoint.Restore(trainer, model, optim, meta, resume);
            Console.WriteLine($"resumed from {resume} after epoch {trainer.EpochsDone}");
        }
        Console.WriteLine($"{s.Data}{(s.Test is null ? "" : $" (test {s.Test})")}: {train.Count} train / {test.Count} test, {train.FeatureCount} features, {train.NumClasses} classes; " +
                          $"model {s.Model} ({trainer.Model.ParameterCount:N0} parameters), activation {s.ActivationText}, {s.Threads} thread(s)");
        int steps = (s.Options.Epochs - trainer.EpochsDone) * ((train.Count + s.Options.BatchSize - 1) / s.Options.BatchSize);
        var history = ProgressView.Run("train", steps, obs => trainer.Fit(train, test, obs,
            save is null ? null : t => Checkpoint.Save(save, t, s.Describe())));
        if (history.Count > 0 && history[^1].Diverged)
            Console.WriteLine("training diverged (the loss is not finite); try a smaller --lr.");
        if (save is not null) Console.WriteLine($"saved {save}");
        return 0;
    }
}
