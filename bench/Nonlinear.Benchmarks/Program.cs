using BenchmarkDotNet.Running;

// Quick GEMM throughput: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- gemm-gflops 2
if (args.Length > 0 && args[0] == "gemm-gflops")
{
    Nonlinear.Benchmarks.GemmGflops.Run(args.Length > 1 ? int.Parse(args[1]) : Environment.ProcessorCount);
    return;
}

// Run all: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Nonlinear.Benchmarks.BenchConfig).Assembly).Run(args, new Nonlinear.Benchmarks.BenchConfig());
