using System.Collections;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using Nonlinear.Kernels;
using Nonlinear.Store;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// Records a whole command run (fit, lm train, sae train) in the run store the way train records itself, through the
/// same <see cref="RunRecorder"/> and store choice (<c>--store</c>, then NONLINEAR_STORE, then a SQLite file next to the
/// outputs). The configuration is every option of the command as parsed (typed or default; never <c>--store</c>, which
/// may hold a password) plus what the command adds when it begins (the data set's name, a resumed run's real
/// settings); the environment is captured with the kernel threads in force. The command reports through
/// <see cref="Current"/> (null when nothing records): <see cref="Begin"/> when its work starts, <see cref="Step"/> per
/// logged step or stage, <see cref="Final"/> for metrics measured at the end. A command line that fails before
/// <see cref="Begin"/> (a typo in an option) records nothing: it never was a run.
/// </summary>
internal sealed class CommandRun
{
    private static readonly AsyncLocal<CommandRun?> s_current = new();

    private readonly StoreUrl _url;
    private readonly string _kind;
    private readonly Dictionary<string, string> _config;
    private readonly Dictionary<string, double> _final = [];
    private IReadOnlyDictionary<string, double> _lastStep = new Dictionary<string, double>();
    private RunRecorder? _recorder;
    private string? _checkpoint;

    private CommandRun(StoreUrl url, string kind, Dictionary<string, string> config) { _url = url; _kind = kind; _config = config; }

    /// <summary>The run the executing command records, or null.</summary>
    public static CommandRun? Current => s_current.Value;

    /// <summary>
    /// Adds <c>--store</c> to <paramref name="cmd"/> and wraps its action so that each invocation is recorded as a run of
    /// <paramref name="kind"/>; the default store lies in the folder of the file <paramref name="outputNextTo"/> names.
    /// </summary>
    public static Command Record(Command cmd, string kind, Func<ParseResult, string?> outputNextTo)
    {
        var store = StoreOption.Create();
        cmd.Options.Add(store);
        var inner = cmd.Action as SynchronousCommandLineAction
                    ?? throw new InvalidOperationException($"{cmd.Name}: a recorded command needs a synchronous action, set before Record.");
        cmd.SetAction(pr =>
        {
            if (StoreOption.Resolve(pr.GetValue(store), outputNextTo(pr)) is not { } url) return inner.Invoke(pr);
            var run = new CommandRun(url, kind, Config(pr, store));
            s_current.Value = run;
            try
            {
                int code = inner.Invoke(pr);
                run.End(code == 0 ? RunStatus.Completed : RunStatus.Failed);
                return code;
            }
            catch
            {
                run._recorder?.Fail();
                throw;
            }
            finally
            {
                // A synchronous action's AsyncLocal change outlives it: in-process callers (tests) would see it.
                s_current.Value = null;
                run._recorder?.Dispose();
            }
        });
        return cmd;
    }

    /// <summary>The run's id once it has begun.</summary>
    public long? Id => _recorder?.Id;

    /// <summary>Adds to, or replaces, the parsed options in the configuration the run starts with (before <see cref="Begin"/>).</summary>
    public void Describe(IReadOnlyDictionary<string, string> config)
    {
        if (_recorder is not null) throw new InvalidOperationException("the run has begun: its configuration is written.");
        foreach (var (k, v) in config) _config[k] = v;
    }

    /// <summary>Starts the run (once) with <paramref name="config"/> added to, or replacing, the parsed options.</summary>
    public void Begin(IReadOnlyDictionary<string, string>? config = null)
    {
        if (_recorder is not null) return;
        if (config is not null) Describe(config);
        int threads = Parallelism.MaxThreads;
        _recorder = RunRecorder.Open(_url, new RunStart(_kind, _config) { Checkpoint = _checkpoint, Environment = RunEnvironment.Capture(threads) });
    }

    /// <summary>Records step (or stage) <paramref name="step"/>; the last step's metrics are the run's final ones unless <see cref="Final"/> overrides them.</summary>
    public void Step(int step, IReadOnlyDictionary<string, double> metrics)
    {
        Begin();
        _recorder!.Step(step, metrics);
        _lastStep = metrics;
    }

    /// <summary>Metrics measured at the end (test-set evaluation, parameter count), written when the command returns.</summary>
    public void Final(IReadOnlyDictionary<string, double> metrics)
    {
        Begin();
        foreach (var (k, v) in metrics) _final[k] = v;
    }

    /// <summary>Where the run's result is saved (a checkpoint file or an SAE folder).</summary>
    public void Checkpoint(string path) => _checkpoint = Path.GetFullPath(path);

    private void End(string status)
    {
        if (_recorder is null)
        {
            if (status != RunStatus.Completed) return;
            Begin();
        }
        var final = new Dictionary<string, double>(_lastStep);
        foreach (var (k, v) in _final) final[k] = v;
        _recorder!.Finish(status, final, _checkpoint);
        Console.WriteLine($"recorded as run {_recorder.Id} in {_recorder.StoreUrl}");
    }

    /// <summary>Every option and argument of the invoked command with its parsed value (the default when not typed).</summary>
    internal static Dictionary<string, string> Config(ParseResult pr, Option skip)
    {
        var config = new Dictionary<string, string>();
        var command = pr.CommandResult.Command;
        foreach (var o in command.Options)
        {
            if (ReferenceEquals(o, skip)) continue;
            object? value = pr.GetResult(o) is { } r ? r.GetValueOrDefault<object?>() : o.HasDefaultValue ? o.GetDefaultValue() : null;
            if (value is null && o.ValueType == typeof(bool)) value = false;
            if (Text(value) is string text) config[Key(o.Name)] = text;
        }
        foreach (var a in command.Arguments)
            if (Text(pr.GetResult(a)?.GetValueOrDefault<object?>()) is string text) config[Key(a.Name)] = text;
        return config;
    }

    // --grid-schedule → grid_schedule, CHECKPOINT → checkpoint: the spelling of the keys train records.
    private static string Key(string name) => name.TrimStart('-').Replace('-', '_').ToLowerInvariant();

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IEnumerable e => string.Join(",", e.Cast<object?>().Select(x => Text(x) ?? "")),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
