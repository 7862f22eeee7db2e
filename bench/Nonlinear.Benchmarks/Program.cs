using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Nonlinear.Benchmarks.BenchConfig).Assembly).Run(args, new Nonlinear.Benchmarks.BenchConfig());
