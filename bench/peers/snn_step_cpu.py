#!/usr/bin/env python3
"""CPU time and wall time per training step of ../shared/peers/snn_lif.py's network (its own make() and
train_step(), unchanged: 784-1000-10 LIF, T = 25, fast sigmoid 25, membrane CE, Adam 5e-4, batch 128 = the first
128 Fashion-MNIST training images), for a side-by-side with `Nonlinear.Benchmarks snn-step`, which prints the same
two figures. On a shared machine the wall time mostly measures the wait for a core; process CPU time what a step costs.

Usage: /usr/bin/python3 bench/peers/snn_step_cpu.py [--threads 2] [--steps 15] [--peers ../shared/peers]
"""
import argparse
import statistics
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--steps", type=int, default=15)
ap.add_argument("--peers", default="/work/shared/peers")
args = ap.parse_args()
sys.path.insert(0, args.peers)
import torch  # noqa: E402
import snn_lif as P  # noqa: E402

torch.set_num_threads(args.threads)
xtr, ytr, _, _ = P.load_fmnist(P.DATA_DIR)
xb, yb = xtr[:128].contiguous(), ytr[:128].contiguous()
model, opt = P.make()
P.train_step(model, opt, xb, yb)  # warm-up
walls = []
c0 = time.process_time()
for _ in range(args.steps):
    t0 = time.perf_counter()
    P.train_step(model, opt, xb, yb)
    walls.append(time.perf_counter() - t0)
cpu = (time.process_time() - c0) / args.steps
print("threads=%d train step B=128: wall median %.2f ms (min %.2f), CPU %.2f ms/step"
      % (args.threads, statistics.median(walls) * 1e3, min(walls) * 1e3, cpu * 1e3))
