using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Store;

/// <summary>Where a run ran: enough to tell two results apart when they differ by machine or build.</summary>
public static class RunEnvironment
{
    /// <summary>Version, git commit (from the build), machine, OS, CPU model, ISA tier, threads, .NET version.</summary>
    public static Dictionary<string, string> Capture(int threads)
    {
        var info = typeof(Nonlinear.InvalidInputException).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        int plus = info.IndexOf('+');
        return new Dictionary<string, string>
        {
            ["version"] = plus < 0 ? info : info[..plus],
            // The SDK appends the source revision to the informational version when it builds from a git checkout.
            ["commit"] = plus < 0 ? "" : info[(plus + 1)..],
            ["machine"] = System.Environment.MachineName,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["cpu"] = CpuModel(),
            ["isa"] = IsaTier(),
            ["threads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["dotnet"] = System.Environment.Version.ToString(),
        };
    }

    /// <summary>The widest SIMD tier the kernels use in this process (DOTNET_EnableAVX512F=0 shows as avx2).</summary>
    public static string IsaTier() =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "avx512"
        : Avx2.IsSupported ? "avx2"
        : Vector128.IsHardwareAccelerated ? "sse/neon"
        : "scalar";

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
