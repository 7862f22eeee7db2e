using BenchmarkDotNet.Running;

// Quick console modes for side-by-side runs with the PyTorch peers (bench/side-by-side.sh):
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- act-throughput 2 [gelu,silu]
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- act-kernel [Vec256|Vec128|Scalar] [gelu,silu]  (L1-resident, 1 thread: A/B a kernel change)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- act-ulp gelu,softplus -15 15 Vec256 1   (every float in [lo, hi]: max ulp error, SHA-256 of the bits)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- gemm-gflops 2 [name filter, e.g. "lm ,snn ,256^3"]   (peer: bench/peers/gemm_shapes.py)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- gemm-routes 2 [filter]   (each multi-threaded GEMM route and 1 thread, interleaved)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- mlp-infer 2          (peer: bench/peers/mlp_infer.py)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- mlp-infer-parts 2 [batch]   (the same forward split into GEMM, bias, relu, allocation)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- int8-infer 2 q.safetensors …   (ours vs ONNX Runtime on the QDQ export)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- int8-threads 2 q.safetensors …   (ours on 1 vs 2 threads, and 2 threads as before)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- learnable-throughput 2   (bench/learnable-side-by-side.sh)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- repro-snake | repro-xor       (REPRODUCTIONS.md tables)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-layer 2
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-breakdown 2 [in out [name]]   (stage timings of one layer)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-parts 2 [in out batch G]      (sparse vs dense B-spline kernels)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-digest 2 | kan-loop …          (bit-identity hashes; perf loop)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- lanewise-throughput 2 | handfused-throughput
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- repro-nac [digits|fashion-mnist] [epochs]   (NAC OOD AUROC, REPRODUCTIONS.md)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- repro-sae-pareto [steps]   (SAE L0 vs FVU, CE loss score, dark matter)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- repro-lazy-neurons [epochs] [64,128,...]   (ReLU non-zero fraction vs width, true and random labels)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- repro-hash-encoders [epochs] ["mlp:64;mlp:256,256"]   (linear regions with ≤ 1 input, k-NN on ReLU codes)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- repro-activation-interp [epochs] [relu,gelu,...]   (dead/lazy fraction and probe accuracy per activation)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- lm-step 2 [gelu,swiglu] [repeats]   (char-GPT training step, peer: gpt_char.py)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- formula-throughput 2 [rounds]   (formula activations vs the catalog kernel)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- sae 2 [standard,topk,batchtopk,jumprelu]   (one SAE training step, d_in 256, d_sae 4096, batch 4096)
//   dotnet run -c Release --project bench/Nonlinear.Benchmarks -- snn-step 2 [snn:1000]   (spiking MLP train step + breakdown; peer: ../shared/peers/snn_lif.py)
string mode = args.Length > 0 ? args[0] : "";
int threads = args.Length > 1 && int.TryParse(args[1], out int t) && t > 0 ? t : Environment.ProcessorCount;
switch (mode)
{
    case "act-throughput": Nonlinear.Benchmarks.ActivationBench.Throughput(threads, args.Length > 2 ? args[2].Split(',') : null); return;
    case "act-kernel":
        // A fifth argument "plain" turns the streaming stores of large outputs off, to A/B them in one binary.
        if (args.Length > 4 && args[4] == "plain") Nonlinear.Kernels.UnaryDriver.StreamingThreshold = int.MaxValue;
        Nonlinear.Benchmarks.ActivationKernelBench.Run(args.Length > 1 ? Enum.Parse<Nonlinear.Kernels.SimdTier>(args[1]) : Nonlinear.Kernels.SimdTier.Auto,
            args.Length > 2 ? args[2].Split(',') : null, args.Length > 3 ? int.Parse(args[3]) : 4096);
        return;
    case "act-ulp": Nonlinear.Benchmarks.ActivationUlpSweep.Run(args, Environment.ProcessorCount); return;
    case "gemm-gflops": Nonlinear.Benchmarks.GemmGflops.Run(threads, args.Length > 2 ? args[2] : null); return;
    case "gemm-routes": Nonlinear.Benchmarks.GemmRoutes.Run(threads, args.Length > 2 ? args[2] : null); return;
    case "mlp-infer": Nonlinear.Benchmarks.MlpInferBench.Run(threads); return;
    case "mlp-infer-parts": Nonlinear.Benchmarks.MlpInferParts.Run(threads, args.Length > 2 ? int.Parse(args[2]) : 1024); return;
    case "int8-infer": Nonlinear.Benchmarks.Int8InferBench.Run(threads, args[2..]); return;
    case "int8-parts": Nonlinear.Benchmarks.Int8PartsBench.Run(threads, args[2..]); return;
    case "int8-threads": Nonlinear.Benchmarks.Int8ThreadsBench.Run(threads, args[2..]); return;
    case "lm-step": Nonlinear.Benchmarks.LmStepBench.Run(threads, args.Length > 2 ? args[2].Split(',') : null, args.Length > 3 ? int.Parse(args[3]) : 7); return;
    case "sae": Nonlinear.Benchmarks.SaeBench.Run(threads, args.Length > 2 ? args[2].Split(',') : null); return;
    case "learnable-throughput": Nonlinear.Benchmarks.LearnableBench.Throughput(threads); return;
    case "repro-snake": Console.Write(Nonlinear.Reproductions.SnakeExtrapolation.Table(seeds: 3)); return;
    case "repro-xor":
        Console.WriteLine("inputs in {-1, 1}:");
        Console.Write(Nonlinear.Reproductions.PreluXor.Table(seeds: 20, symmetricInputs: true));
        Console.WriteLine("inputs in {0, 1}:");
        Console.Write(Nonlinear.Reproductions.PreluXor.Table(seeds: 20, symmetricInputs: false));
        return;
    case "repro-nac":
        Console.Write(Nonlinear.Reproductions.NacOod.Table(args.Length > 1 ? args[1] : "digits", args.Length > 2 ? int.Parse(args[2]) : 20,
            [new(), new(MinCount: 5), new(Alpha: 100, MinCount: 5), new(Alpha: 100), new(Alpha: 10), new(Alpha: 1000)]));
        return;
    case "repro-sae-pareto": Console.Write(Nonlinear.Reproductions.SaePareto.Table(args.Length > 1 ? int.Parse(args[1]) : 300)); return;
    case "repro-lazy-neurons":
        Console.Write(Nonlinear.Reproductions.LazyNeurons.Table(args.Length > 1 ? int.Parse(args[1]) : 5,
            args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [64, 128, 256, 512, 1024]));
        return;
    case "repro-hash-encoders":
        Console.Write(Nonlinear.Reproductions.HashEncoders.Table(args.Length > 1 ? int.Parse(args[1]) : 3,
            args.Length > 2 ? args[2].Split(';') : Nonlinear.Reproductions.HashEncoders.Default));
        return;
    case "repro-activation-interp":
        Console.Write(Nonlinear.Reproductions.ActivationInterpretability.Table(args.Length > 1 ? int.Parse(args[1]) : 5,
            args.Length > 2 ? args[2].Split(',') : Nonlinear.Reproductions.ActivationInterpretability.Default));
        return;
    case "kan-layer": Nonlinear.Benchmarks.KanLayerBench.Run(threads); return;
    case "kan-parts":
        int[] shape = args.Skip(2).Select(int.Parse).ToArray();
        Nonlinear.Benchmarks.KanPartsBench.Run(threads, shape.ElementAtOrDefault(0) is > 0 and var fi ? fi : 256, shape.ElementAtOrDefault(1) is > 0 and var fo ? fo : 256,
            shape.ElementAtOrDefault(2) is > 0 and var b ? b : 1024, shape.ElementAtOrDefault(3) is > 0 and var gs ? gs : 5);
        return;
    case "kan-loop": Nonlinear.Benchmarks.KanBreakdown.Loop(threads, args[2], int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5])); return;
    case "kan-digest": Nonlinear.Benchmarks.KanDigest.Run(threads); return;
    case "kan-breakdown":
        if (args.Length > 3) Nonlinear.Benchmarks.KanBreakdown.Run(threads, int.Parse(args[2]), int.Parse(args[3]), args.Length > 4 ? args[4] : "");
        else Nonlinear.Benchmarks.KanBreakdown.Run(threads);
        return;
    case "snn-step": Nonlinear.Benchmarks.SnnBench.Run(threads, args.Length > 2 ? args[2] : "snn:1000"); return;
    case "lanewise-throughput": Nonlinear.Benchmarks.LaneWiseBench.Throughput(threads); return;
    case "formula-throughput": Nonlinear.Benchmarks.FormulaBench.Throughput(threads, args.Length > 2 ? int.Parse(args[2]) : 9); return;
    case "handfused-throughput": Nonlinear.Benchmarks.HandFusedBench.Throughput(); return;
}

// BenchmarkDotNet: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*Gemm*'
BenchmarkSwitcher.FromAssembly(typeof(Nonlinear.Benchmarks.BenchConfig).Assembly).Run(args, new Nonlinear.Benchmarks.BenchConfig());
