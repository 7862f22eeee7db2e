using System.Diagnostics;
using System.Reflection;
using Nonlinear.Cli.Runs;
using Nonlinear.Store;

namespace Nonlinear.Cli.Search;

/// <summary>
/// The workers a search starts on this machine: one in this process (on its own thread and store connection) and
/// <c>count − 1</c> child processes running `nonlinear sweep work`, each with one thread. Workers that run out of trials
/// between two batches are restarted while the search goes on. Workers on other machines join with `sweep work --store URL`.
/// </summary>
internal sealed class SearchWorkers : IDisposable
{
    private readonly RunStore _store;
    private readonly string _storeText, _checkpoints, _logPath;
    private readonly int _children;
    private readonly List<Process?> _processes = [];
    private readonly Thread? _thread;
    private volatile bool _stop;
    private readonly object _logGate = new();

    /// <summary>Starts <paramref name="count"/> workers (0: none here; the store's other workers do the work).</summary>
    public SearchWorkers(RunStore store, string storeText, int count, string checkpoints, string logPath)
    {
        _store = store;
        _storeText = storeText;
        _checkpoints = checkpoints;
        _logPath = logPath;
        _children = Math.Max(0, count - 1);
        if (count >= 1)
        {
            _thread = new Thread(Local) { IsBackground = true, Name = "search worker" };
            _thread.Start();
        }
        for (int i = 0; i < _children; i++) _processes.Add(Spawn());
    }

    private void Local()
    {
        using var s = _store.Reopen();
        var options = new WorkerOptions(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), _checkpoints, 1, int.MaxValue, WaitForOthers: false, StudyId: null);
        while (!_stop)
        {
            new SweepWorker(s, options, Log).Run();
            if (!_stop) Thread.Sleep(100);
        }
    }

    /// <summary>Restarts child workers that exited while the search still has trials to hand out.</summary>
    public void KeepAlive()
    {
        for (int i = 0; i < _processes.Count; i++)
            if (_processes[i] is { HasExited: true }) { _processes[i]!.Dispose(); _processes[i] = Spawn(); }
    }

    private Process? Spawn()
    {
        // Run the same program: the apphost directly, or `dotnet nonlinear.dll` when started through the dotnet host.
        string? host = Environment.ProcessPath;
        var entryAssembly = Assembly.GetEntryAssembly();
        if (host is null || entryAssembly != typeof(SearchWorkers).Assembly) return null;
        string entry = entryAssembly.Location;
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) psi.ArgumentList.Add(entry);
        foreach (var a in new[] { "sweep", "work", "--store", _storeText, "--threads", "1", "--checkpoints", _checkpoints, "--no-wait" }) psi.ArgumentList.Add(a);
        var p = Process.Start(psi);
        if (p is null) return null;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) Log(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private void Log(string line)
    {
        lock (_logGate) File.AppendAllText(_logPath, line + Environment.NewLine);
    }

    /// <summary>Whether child workers could be started (false when this program is not the nonlinear executable, e.g. under a test host).</summary>
    public bool ChildrenStarted => _processes.All(p => p is not null);

    /// <summary>Stops the local worker after its current trial and waits for the children to finish theirs.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread?.Join();
        foreach (var p in _processes)
        {
            if (p is null) continue;
            // --no-wait children exit by themselves once nothing is claimable; the search is over, so that is soon.
            if (!p.WaitForExit(TimeSpan.FromMinutes(5))) p.Kill();
            p.Dispose();
        }
    }
}
