using BenchmarkDotNet.Running;

// Quick console modes for side-by-side runs with the PyTorch peers (bench/side-by-side.sh):
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- act-throughput 2
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- gemm-gflops 2
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-layer 2
string mode = args.Length > 0 ? args[0] : "";
int threads = args.Length > 1 && int.TryParse(args[1], out int t) && t > 0 ? t : Environment.ProcessorCount;
switch (mode)
{
    case "act-throughput": Nonlinear.Benchmarks.ActivationBench.Throughput(threads); return;
    case "gemm-gflops": Nonlinear.Benchmarks.GemmGflops.Run(threads); return;
    case "kan-layer": Nonlinear.Benchmarks.KanLayerBench.Run(threads); return;
}

// BenchmarkDotNet: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*Gemm*'
BenchmarkSwitcher.FromAssembly(typeof(Nonlinear.Benchmarks.BenchConfig).Assembly).Run(args, new Nonlinear.Benchmarks.BenchConfig());
