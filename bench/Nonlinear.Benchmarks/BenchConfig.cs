using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Nonlinear.Benchmarks;

/// <summary>Shared settings: short runs (the host is noisy and has 2 cores), medians reported.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(7));
        Add(DefaultConfig.Instance);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
