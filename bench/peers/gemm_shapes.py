#!/usr/bin/env python3
"""float32 GEMM throughput of PyTorch (torch.mm, CPU) on the shapes of `Nonlinear.Benchmarks gemm-gflops`, the peer of
`dotnet bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll gemm-gflops THREADS [filter]`.

Usage: /usr/bin/python3 bench/peers/gemm_shapes.py [--threads 2] [--filter "lm ,snn "]
Transposed operands are passed as transposed views (a.t()), so the BLAS call gets the transpose flags just as ours does.
Each shape: the median GFLOP/s (2·M·N·K / time) of 7 samples of about 20 ms after warm-up, with min and max, and the
median per CPU-second of the process, one line per shape in the format of the .NET mode. OPENBLAS_CORETYPE (unset = auto-selected) and the BLAS config are printed.
"""
import argparse
import ctypes
import os
import statistics
import time

import torch

SHAPES = [  # name, transA, transB, M, N, K (the same list as bench/Nonlinear.Benchmarks/GemmGflops.cs)
    ("256^3", False, False, 256, 256, 256),
    ("512^3", False, False, 512, 512, 512),
    ("1024^3", False, False, 1024, 1024, 1024),
    ("mlp 128x784->256 fwd (x·Wᵀ)", False, True, 128, 256, 784),
    ("mlp 128x784->256 bwd-input (dy·W)", False, False, 128, 784, 256),
    ("mlp 128x784->256 bwd-weight (dyᵀ·x)", True, False, 256, 784, 128),
    ("mlp 128x256->10 fwd (x·Wᵀ)", False, True, 128, 10, 256),
    ("kan 1024x2304->256 fwd (F·Wᵀ)", False, True, 1024, 256, 2304),
    ("kan 1024x2304->256 bwd-weight (gᵀ·F)", True, False, 256, 2304, 1024),
    ("kan 512x256->2304 bwd-input block (g·W)", False, False, 512, 2304, 256),
    ("lm qkv fwd 4096x128->384 (x·Wᵀ)", False, True, 4096, 384, 128),
    ("lm qkv bwd-input (dy·W)", False, False, 4096, 128, 384),
    ("lm qkv bwd-weight (dyᵀ·x)", True, False, 384, 128, 4096),
    ("lm up fwd 4096x128->512 (x·Wᵀ)", False, True, 4096, 512, 128),
    ("lm up bwd-weight (dyᵀ·x)", True, False, 512, 128, 4096),
    ("lm down fwd 4096x512->128 (x·Wᵀ)", False, True, 4096, 128, 512),
    ("lm up bwd-input (dy·W)", False, False, 4096, 128, 512),
    ("lm down bwd-input (dy·W)", False, False, 4096, 512, 128),
    ("lm down bwd-weight (dyᵀ·x)", True, False, 128, 512, 4096),
    ("snn fc2 fwd 3200x1000->10 (x·Wᵀ)", False, True, 3200, 10, 1000),
    ("snn fc2 bwd-input (dy·W)", False, False, 3200, 1000, 10),
    ("snn fc2 bwd-weight (dyᵀ·s)", True, False, 10, 1000, 3200),
    ("snn fc2 bwd-weight swapped (sᵀ·dy)", True, False, 1000, 10, 3200),
    ("snn fc1 bwd-weight (dyᵀ·x)", True, False, 1000, 784, 128),
]


def blas_config():
    for path in open("/proc/self/maps").read().split():
        if "openblas" in path and path.endswith(".so") or ".so." in path and "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                return lib.openblas_get_config().decode().strip()
            except (OSError, AttributeError):
                pass
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--filter", default="")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS
    print(f"threads={args.threads} torch={torch.__version__} OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(auto)')} "
          f"blas={blas_config()}")
    parts = args.filter.split(",")
    gen = torch.Generator().manual_seed(1)
    for name, ta, tb, m, n, k in SHAPES:
        if not any(p in name for p in parts):
            continue
        a = torch.rand(k, m, generator=gen).t() if ta else torch.rand(m, k, generator=gen)
        b = torch.rand(n, k, generator=gen).t() if tb else torch.rand(k, n, generator=gen)
        c = torch.empty(m, n)
        flops = 2.0 * m * n * k
        reps, t0 = 1, time.perf_counter()
        while time.perf_counter() - t0 < 0.2:
            torch.mm(a, b, out=c)
            reps += 1
        reps = max(1, int(reps * 0.02 / (time.perf_counter() - t0)))
        samples, cpu = [], []
        for _ in range(7):
            t, c0 = time.perf_counter(), time.process_time()
            for _ in range(reps):
                torch.mm(a, b, out=c)
            samples.append(flops * reps / (time.perf_counter() - t) / 1e9)
            cpu.append(flops * reps / max(time.process_time() - c0, 1e-9) / 1e9)
        samples.sort()
        # Per CPU-second (all threads of the process, OpenMP spinning included), as the .NET mode prints it.
        print(f"{name:<40} {statistics.median(samples):8.1f} GFLOP/s  (min {samples[0]:.1f}, max {samples[-1]:.1f})  "
              f"{statistics.median(cpu):7.1f} GFLOP/cpu-s")


if __name__ == "__main__":
    main()
