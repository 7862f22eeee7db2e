using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli;

/// <summary>
/// Shows training progress: a live Spectre.Console bar with ETA and metrics on a terminal, plain lines when output is
/// redirected (logs, CI). One bar can span several runs (<see cref="RunMany{T}"/>), as `compare` and `demo` need.
/// </summary>
internal static class ProgressView
{
    /// <param name="title">Shown before each line or on the bar.</param>
    /// <param name="totalSteps">Batches in the whole run, for the bar and its ETA.</param>
    /// <param name="work">The training, given the observer to report to.</param>
    /// <param name="epochLines">Whether each epoch gets a line.</param>
    public static T Run<T>(string title, int totalSteps, Func<ITrainingObserver, T> work, bool epochLines = true) =>
        RunMany(title, totalSteps, s => s.Track(title, totalSteps, work), epochLines);

    /// <summary>One bar over several runs: <paramref name="work"/> calls <see cref="Session.Track{T}"/> once per run.</summary>
    public static T RunMany<T>(string title, int totalSteps, Func<Session, T> work, bool epochLines = true)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(new Session(null, epochLines));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = work(new Session(ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(totalSteps, 1)), epochLines)));
        return result;
    }

    public static string Describe(EpochResult r) =>
        $"epoch {r.Epoch,3}  loss {r.TrainLoss,8:0.0000}  train acc {r.TrainAccuracy,7:P2}  test loss {r.TestLoss,8:0.0000}  test acc {r.TestAccuracy,7:P2}  {r.Seconds,6:0.00}s{(r.Diverged ? "  DIVERGED" : "")}";

    /// <summary>A progress display shared by consecutive runs (null task: plain output).</summary>
    internal sealed class Session(ProgressTask? task, bool epochLines)
    {
        /// <summary>Runs one training with an observer titled <paramref name="title"/>; afterwards the bar stands at the run's
        /// full <paramref name="steps"/> even if it stopped early (divergence), so the ETA stays true.</summary>
        public T Track<T>(string title, int steps, Func<ITrainingObserver, T> work)
        {
            var observer = new Observer(task, title, epochLines);
            var result = work(observer);
            task?.Increment(Math.Max(0, steps - observer.Steps));
            return result;
        }

        /// <summary>A line above the bar (or on stdout when plain).</summary>
        public void Line(string text)
        {
            if (task is null) Console.WriteLine(text);
            else AnsiConsole.WriteLine(text);
        }
    }

    private sealed class Observer(ProgressTask? task, string title, bool epochLines) : ITrainingObserver
    {
        private int _epochs;
        public int Steps { get; private set; }
        public void EpochStarted(int epoch, int epochs, int batches) => _epochs = epochs;
        public void BatchFinished(int epoch, int batch, double meanLoss, double accuracy)
        {
            Steps++;
            if (task is null) return;
            task.Increment(1);
            task.Description = Markup.Escape($"{title} epoch {epoch + 1}/{_epochs} loss {meanLoss:0.0000} acc {accuracy:P1}");
        }
        public void EpochFinished(EpochResult result)
        {
            if (!epochLines) return;
            if (task is null) Console.WriteLine($"{title}  {Describe(result)}");
            else AnsiConsole.WriteLine($"{title}  {Describe(result)}");
        }
    }

    /// <summary>
    /// A bar over <paramref name="total"/> items of work that is not training (capturing activations): <paramref name="work"/>
    /// reports the items done so far through the callback it is given. Plain output prints nothing until the end.
    /// </summary>
    public static T RunSteps<T>(string title, int total, Func<Action<int>, T> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive) return work(_ => { });
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                result = work(done => task.Value = done);
            });
        return result;
    }
}
