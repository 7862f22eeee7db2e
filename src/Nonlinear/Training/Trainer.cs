using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// Trains a classifier with cross-entropy. A run is a pure function of (model initialisation, data, options,
/// thread count): the shuffle of epoch e depends only on (seed, e), so a run resumed from a checkpoint
/// continues bit for bit as if it had never stopped.
/// </summary>
public sealed class Trainer
{
    /// <summary>Binds a model and options; builds the optimiser.</summary>
    public Trainer(Module model, TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        Options = options;
        var ps = model.Parameters().ToList();
        Optimizer = options.Optimizer switch
        {
            OptimizerKind.Adam => new Adam(ps, options.LearningRate, weightDecay: options.WeightDecay),
            OptimizerKind.AdamW => new AdamW(ps, options.LearningRate, weightDecay: options.WeightDecay),
            _ => new Sgd(ps, options.LearningRate, momentum: 0.9f, weightDecay: options.WeightDecay),
        };
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }
    /// <summary>The options of the run.</summary>
    public TrainOptions Options { get; }
    /// <summary>The optimiser (its state is part of a checkpoint).</summary>
    public Optimizer Optimizer { get; }
    /// <summary>Epochs completed so far (restored by a checkpoint).</summary>
    public int EpochsDone { get; set; }
    /// <summary>Fills the gradients instead of end-to-end backpropagation (feedback alignment, …); null: backpropagation.</summary>
    public LocalLearning.IGradientRule? GradientRule { get; set; }
    /// <summary>Results of the epochs run by this trainer.</summary>
    public List<EpochResult> History { get; } = [];

    /// <summary>
    /// Runs epochs until <see cref="TrainOptions.Epochs"/> are done in total, evaluating on <paramref name="test"/> after each;
    /// after every epoch <paramref name="onEpochEnd"/> may save a checkpoint. Stops early when the loss diverges.
    /// </summary>
    public IReadOnlyList<EpochResult> Fit(Dataset train, Dataset test, ITrainingObserver? observer = null, Action<Trainer>? onEpochEnd = null)
    {
        var loader = new DataLoader(train, Options.BatchSize, shuffle: true, seed: Options.Seed);
        while (EpochsDone < Options.Epochs)
        {
            int epoch = EpochsDone;
            var r = RunEpoch(loader, epoch, test, observer);
            History.Add(r);
            EpochsDone++;
            observer?.EpochFinished(r);
            onEpochEnd?.Invoke(this);
            if (r.Diverged) break;
        }
        return History;
    }

    private EpochResult RunEpoch(DataLoader loader, int epoch, Dataset test, ITrainingObserver? observer)
    {
        Model.Train();
        observer?.EpochStarted(epoch, Options.Epochs, loader.BatchesPerEpoch);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        double lossSum = 0;
        long correct = 0, seen = 0;
        int b = 0;
        foreach (var batch in loader.Epoch(epoch))
        {
            var (x, y) = (batch.Features, batch.Labels);
            Tensor logits, loss;
            Optimizer.ZeroGrad();
            if (GradientRule is { } rule) (logits, loss) = rule.Compute(Model, x, y, Options.LabelSmoothing);
            else
            {
                if (Model is IClassifierLoss own) (logits, loss) = own.ScoresAndLoss(x, y, Options.LabelSmoothing);
                else
                {
                    logits = Model.Call(x);
                    loss = Loss.CrossEntropy(logits, y, Options.LabelSmoothing);
                }
                loss.Backward();
            }
            Optimizer.Step();
            float l = loss.Item();
            lossSum += (double)l * y.Length;
            correct += Metrics.CountCorrect(logits, y);
            seen += y.Length;
            observer?.BatchFinished(epoch, ++b, lossSum / seen, (double)correct / seen);
            if (!float.IsFinite(l)) break;
        }
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        var (testLoss, testAcc) = Evaluate(test);
        return new EpochResult(epoch + 1, lossSum / Math.Max(seen, 1), (double)correct / Math.Max(seen, 1), testLoss, testAcc, seconds);
    }

    /// <summary>Mean cross-entropy and accuracy on <paramref name="data"/> in eval mode, without recording gradients.</summary>
    public (double Loss, double Accuracy) Evaluate(Dataset data) => Metrics.Evaluate(Model, data);
}
