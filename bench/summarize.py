#!/usr/bin/env python3
"""Markdown tables from one side-by-side run (bench/side-by-side.sh): Nonlinear vs PyTorch, medians over reps.

    python3 bench/summarize.py bench/results/2026-11-23
"""
import glob, json, re, statistics, sys

d = sys.argv[1]
med = statistics.median

def reps(pattern):
    return sorted(glob.glob(f"{d}/{pattern}"))

# GEMM
torch_g, nl_g = {}, {}
for f in reps("torch-sgemm.*.json"):
    r = json.load(open(f))["results"]["2"]
    for k, v in r["square"].items(): torch_g.setdefault(f"{k}^3", []).append(v["gflops"])
    for k, v in r["mlp_layers"].items(): torch_g.setdefault(k, []).append(v["gflops"])
names = {"256^3": "256^3", "512^3": "512^3", "1024^3": "1024^3",
         "mlp 128x784->256 fwd": "B128_784x256_fwd", "mlp 128x784->256 bwd-input": "B128_784x256_bwd_input",
         "mlp 128x784->256 bwd-weight": "B128_784x256_bwd_weight", "mlp 128x256->10 fwd": "B128_256x10_fwd"}
for f in reps("nl-gemm.*.txt"):
    for line in open(f):
        m = re.match(r"(.+?)\s+([\d.]+) GFLOP/s", line)
        if not m: continue
        label = m.group(1).split(" (")[0].strip()
        nl_g.setdefault(label, []).append(float(m.group(2)))
if nl_g:
    print("| SGEMM, 2 threads | Nonlinear GFLOP/s | PyTorch GFLOP/s | ratio |\n|---|---|---|---|")
    for label, tk in names.items():
        if label in nl_g and tk in torch_g:
            a, b = med(nl_g[label]), med(torch_g[tk])
            print(f"| {label} | {a:.0f} | {b:.0f} | {a/b:.2f}× |")
    print()

# Activations
torch_a, nl_a = {}, {}
for f in reps("torch-elementwise.*.json"):
    r = json.load(open(f))["results"]["2"]
    for k, v in r.items():
        if isinstance(v, dict) and "fwd_out" in v:
            torch_a.setdefault(k, {"fwd": [], "fb": []})
            torch_a[k]["fwd"].append(v["fwd_out"]["gelem_s"]); torch_a[k]["fb"].append(v["fwdbwd_out"]["gelem_s"])
for f in reps("nl-act.*.txt"):
    for line in open(f):
        p = line.split()
        if len(p) >= 7 and p[3].endswith("x") and re.match(r"^[\d.]+$", p[1]):
            nl_a.setdefault(p[0], {"fwd": [], "fb": []})
            nl_a[p[0]]["fwd"].append(float(p[1])); nl_a[p[0]]["fb"].append(float(p[4]))
if nl_a:
    print("| activation, 16M floats, 2 threads | Nonlinear fwd | PyTorch fwd | ratio | Nonlinear fwd+bwd | PyTorch fwd+bwd | ratio |\n|---|---|---|---|---|---|---|")
    alias = {"gelu": "gelu_erf"}
    for k, v in nl_a.items():
        t = torch_a.get(alias.get(k, k))
        if not t: continue
        a, b, c, e = med(v["fwd"]), med(t["fwd"]), med(v["fb"]), med(t["fb"])
        print(f"| {k} | {a:.2f} | {b:.2f} | {a/b:.2f}× | {c:.2f} | {e:.2f} | {c/e:.2f}× |")
    print()

# MLP
for act in ("relu", "gelu"):
    tt = [json.load(open(f))["results"]["2"][act] for f in reps("torch-mlp.*.json")]
    ours, rss, acc = [], [], []
    for f in reps(f"nl-mlp-{act}.*.txt"):
        secs = [float(m.group(1)) for m in re.finditer(r"([\d.]+)s\n", open(f).read())]
        if secs: ours.append(med(secs))
        m = re.search(r"peak_rss_kb (\d+)", open(f).read()); rss.append(int(m.group(1)) / 1024 if m else float("nan"))
        a = re.findall(r"test acc\s+([\d.]+) %", open(f).read()); acc.append(float(a[-1]) if a else float("nan"))
    if ours and tt:
        a, b = med(ours), med([t["epoch_s_median"] for t in tt])
        print(f"MLP 784-256-256-10 {act}, Fashion-MNIST, 5 epochs, 2 threads: Nonlinear {a:.3f} s/epoch (median of epochs, median of {len(ours)} runs), "
              f"PyTorch {b:.3f} s/epoch → {b/a:.2f}× PyTorch's speed; peak RSS {med(rss):.0f} MB; test acc {acc[-1]:.2f} % (PyTorch {100*tt[-1]['test_acc'][-1]:.2f} %)")
