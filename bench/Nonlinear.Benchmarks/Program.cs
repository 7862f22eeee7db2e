using BenchmarkDotNet.Running;

// Quick activation throughput: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- act-throughput 2
if (args.Length > 0 && args[0] == "act-throughput")
{
    Nonlinear.Benchmarks.ActivationBench.Throughput(args.Length > 1 ? int.Parse(args[1]) : 2);
    return;
}

// Run all: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Nonlinear.Benchmarks.BenchConfig).Assembly).Run(args, new Nonlinear.Benchmarks.BenchConfig());
