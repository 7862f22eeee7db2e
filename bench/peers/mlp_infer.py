#!/usr/bin/env python3
"""784-256-256-10 ReLU MLP inference in PyTorch (float32, CPU), the peer of
`dotnet run -c Release --project bench/Nonlinear.Benchmarks -- mlp-infer 2`.

Usage: /usr/bin/python3 bench/peers/mlp_infer.py [--threads 2] [--batches 1,1024] [--repeats 15]
Prints one JSON line: per batch the median latency of one forward (seconds, with
min, max and spread over the samples), samples/s, and the CPU seconds per call
(all threads of the process, spinning included). Timed under torch.inference_mode()
with preallocated inputs, after warm-up; the model has PyTorch's default init
(seed 0): timing does not depend on the weight values.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch


def bench(fn, repeats, min_time=0.02):
    for _ in range(3):
        fn()
    inner, t0 = 1, time.perf_counter()
    while time.perf_counter() - t0 < 0.1:
        fn()
        inner += 1
    inner = max(1, int(inner * min_time / (time.perf_counter() - t0)))
    wall, cpu = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(inner):
            fn()
        wall.append((time.perf_counter() - t0) / inner)
        cpu.append((time.process_time() - c0) / inner)
    wall.sort()
    med = statistics.median(wall)
    return {"median_s": med, "min_s": wall[0], "max_s": wall[-1], "spread": (wall[-1] - wall[0]) / med,
            "cpu_s_per_call": statistics.median(cpu), "inner": inner}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", default="1,1024")
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10)).eval()
    res = {"bench": "mlp_infer", "model": "784-256-256-10 relu", "threads": args.threads, "results": {}}
    for b in (int(x) for x in args.batches.split(",")):
        x = torch.rand(b, 784) * 2 - 1
        with torch.inference_mode():
            r = bench(lambda: model(x), args.repeats)
        r["samples_per_s"] = b / r["median_s"]
        res["results"]["b%d" % b] = r
        print("b%-5d median %.1f us  %.0f samples/s  cpu %.1f us/call" % (b, r["median_s"] * 1e6, r["samples_per_s"],
              r["cpu_s_per_call"] * 1e6), file=sys.stderr)
    res["env"] = {"torch": torch.__version__, "num_threads": torch.get_num_threads(),
                  "cpu_capability": getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", lambda: None)(),
                  "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
                  "cpu_time_user_sys_s": list(resource.getrusage(resource.RUSAGE_SELF)[:2])}
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    sys.exit(main())
