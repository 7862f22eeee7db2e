using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// What the garbage collector did while a command's workers ran: collections per generation, time with every thread
/// stopped, bytes allocated, and the process's CPU time next to the wall time. `sweep work` prints it last, because
/// worker threads of one process share one GC: a pause stops all of them, so this line says how much of the wall time
/// the workers could not train (the first thing to look at when N threads scale worse than N processes).
/// </summary>
internal sealed class GcTally
{
    private readonly int _gen0, _gen1, _gen2;
    private readonly TimeSpan _paused, _cpu;
    private readonly long _allocated, _start;

    private GcTally()
    {
        (_gen0, _gen1, _gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        _paused = GC.GetTotalPauseDuration();
        _allocated = GC.GetTotalAllocatedBytes();
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts counting now.</summary>
    public static GcTally Start() => new();

    /// <summary>One line: "gc: … collections (gen0/gen1/gen2), … s paused (… % of … s wall), … GB allocated, cpu … s; workstation, non-concurrent, gen0 budget …".</summary>
    public string Describe()
    {
        double wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        double paused = (GC.GetTotalPauseDuration() - _paused).TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;
        double gb = (GC.GetTotalAllocatedBytes() - _allocated) / 1e9;
        string kind = (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? ", non-concurrent" : ", concurrent");
        string budget = Environment.GetEnvironmentVariable(GcBudget.Variable) is { } b ? $"gen0 budget {b}" : "default gen0 budget";
        return string.Create(CultureInfo.InvariantCulture,
            $"gc: {GC.CollectionCount(0) - _gen0}/{GC.CollectionCount(1) - _gen1}/{GC.CollectionCount(2) - _gen2} collections (gen0/gen1/gen2), " +
            $"{paused:0.00} s paused ({(wall > 0 ? 100 * paused / wall : 0):0.0} % of {wall:0.00} s wall), {gb:0.00} GB allocated, cpu {cpu:0.00} s; {kind}, {budget}");
    }
}
