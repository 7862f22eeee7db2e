using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli;

/// <summary>
/// Shows training progress: a live Spectre.Console bar with ETA and metrics on a terminal, one plain line
/// per epoch when output is redirected (logs, CI).
/// </summary>
internal static class ProgressView
{
    /// <param name="title">Shown before each line or on the bar.</param>
    /// <param name="totalSteps">Batches in the whole run, for the bar and its ETA.</param>
    /// <param name="work">The training, given the observer to report to.</param>
    /// <param name="epochLines">Whether redirected output gets one line per epoch (the demo prints only its table).</param>
    public static T Run<T>(string title, int totalSteps, Func<ITrainingObserver, T> work, bool epochLines = true)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(epochLines ? new PlainObserver(title) : new SilentObserver());
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = work(new LiveObserver(ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(totalSteps, 1)), title)));
        return result;
    }

    public static string Describe(EpochResult r) =>
        $"epoch {r.Epoch,3}  loss {r.TrainLoss,8:0.0000}  train acc {r.TrainAccuracy,7:P2}  test loss {r.TestLoss,8:0.0000}  test acc {r.TestAccuracy,7:P2}  {r.Seconds,6:0.00}s{(r.Diverged ? "  DIVERGED" : "")}";

    private sealed class PlainObserver(string title) : ITrainingObserver
    {
        public void EpochStarted(int epoch, int epochs, int batches) { }
        public void BatchFinished(int epoch, int batch, double meanLoss, double accuracy) { }
        public void EpochFinished(EpochResult result) => Console.WriteLine($"{title}  {Describe(result)}");
    }

    private sealed class SilentObserver : ITrainingObserver
    {
        public void EpochStarted(int epoch, int epochs, int batches) { }
        public void BatchFinished(int epoch, int batch, double meanLoss, double accuracy) { }
        public void EpochFinished(EpochResult result) { }
    }

    private sealed class LiveObserver(ProgressTask task, string title) : ITrainingObserver
    {
        private int _epochs;
        public void EpochStarted(int epoch, int epochs, int batches) => _epochs = epochs;
        public void BatchFinished(int epoch, int batch, double meanLoss, double accuracy)
        {
            task.Increment(1);
            task.Description = Markup.Escape($"{title} epoch {epoch + 1}/{_epochs} loss {meanLoss:0.0000} acc {accuracy:P1}");
        }
        public void EpochFinished(EpochResult result) => AnsiConsole.WriteLine($"{title}  {Describe(result)}");
    }
}
