#!/usr/bin/env python3
"""Markdown tables and summary.json from one side-by-side run (bench/side-by-side.sh): Nonlinear vs PyTorch, medians over reps.

    /usr/bin/python3 bench/summarize.py bench/results/2026-12-07

The folder holds one subfolder per measured tier (avx2, avx512) and machine.txt (the CPU model), as side-by-side.sh
writes them; an older flat folder (the files of one tier directly in it) is read as the tier its files name. Writes
<folder>/summary.json: {"cpu": ..., "rows": [{"tier", "workload", "nonlinear", "pytorch", "unit", "ratio"}]}, ratio > 1
meaning Nonlinear is faster (rates: ours/theirs; times and memory: theirs/ours). A workload missing on either side of
the run gets no row.
"""
import glob, json, os, re, statistics, sys

med = statistics.median
ACTS = ["relu", "gelu", "gelu_tanh", "silu", "mish", "elu", "softplus", "tanh", "sigmoid"]
TORCH_ACT = {"gelu": "gelu_erf"}
GEMM = {"256^3": ("256", "gemm/256"), "512^3": ("512", "gemm/512"), "1024^3": ("1024", "gemm/1024")}
GEMM_MLP = {"mlp 128x784->256 fwd": "B128_784x256_fwd", "mlp 128x784->256 bwd-input": "B128_784x256_bwd_input",
            "mlp 128x784->256 bwd-weight": "B128_784x256_bwd_weight", "mlp 128x256->10 fwd": "B128_256x10_fwd"}


def files(d, pattern):
    return sorted(glob.glob(os.path.join(d, pattern)))


def last_json(path):
    with open(path) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def read(path):
    with open(path) as f:
        return f.read()


def row(rows, tier, workload, ours, theirs, unit, higher_is_better=True):
    ratio = ours / theirs if higher_is_better else theirs / ours
    rows.append({"tier": tier, "workload": workload, "nonlinear": round(ours, 4), "pytorch": round(theirs, 4),
                 "unit": unit, "ratio": round(ratio, 3)})


def gemm(d, tier, rows):
    torch_g, nl_g = {}, {}
    for f in files(d, "torch-sgemm.*.json"):
        r = last_json(f)["results"]["2"]
        for k, v in r["square"].items(): torch_g.setdefault(k, []).append(v["gflops"])
        for k, v in r["mlp_layers"].items(): torch_g.setdefault(k, []).append(v["gflops"])
    for f in files(d, "nl-gemm.*.txt"):
        for line in open(f):
            m = re.match(r"(.+?)\s+([\d.]+) GFLOP/s", line)
            if m: nl_g.setdefault(m.group(1).split(" (")[0].strip(), []).append(float(m.group(2)))
    if not nl_g: return
    print("| SGEMM, 2 threads | Nonlinear GFLOP/s | PyTorch GFLOP/s | ratio |\n|---|---|---|---|")
    for label, key in [(k, v[0]) for k, v in GEMM.items()] + list(GEMM_MLP.items()):
        if label in nl_g and key in torch_g:
            a, b = med(nl_g[label]), med(torch_g[key])
            print(f"| {label} | {a:.0f} | {b:.0f} | {a/b:.2f}× |")
            if label in GEMM: row(rows, tier, GEMM[label][1], a, b, "GFLOP/s")
    print()


def activations(d, tier, rows):
    torch_a, nl_a = {}, {}
    for f in files(d, "torch-elementwise.*.json"):
        for k, v in last_json(f)["results"]["2"].items():
            if isinstance(v, dict) and "fwd_out" in v:
                t = torch_a.setdefault(k, {"fwd": [], "fb": []})
                t["fwd"].append(v["fwd_out"]["gelem_s"]); t["fb"].append(v["fwdbwd_out"]["gelem_s"])
    for f in files(d, "nl-act.*.txt"):
        for line in open(f):
            p = line.split()
            if len(p) >= 7 and p[3].endswith("x") and re.match(r"^[\d.]+$", p[1]):
                n = nl_a.setdefault(p[0], {"fwd": [], "fb": []})
                n["fwd"].append(float(p[1])); n["fb"].append(float(p[4]))
    if not nl_a: return
    print("| activation, 16M floats, 2 threads | Nonlinear fwd | PyTorch fwd | ratio | Nonlinear fwd+bwd | PyTorch fwd+bwd | ratio |\n|---|---|---|---|---|---|---|")
    for k, v in nl_a.items():
        t = torch_a.get(TORCH_ACT.get(k, k))
        if not t: continue
        a, b, c, e = med(v["fwd"]), med(t["fwd"]), med(v["fb"]), med(t["fb"])
        print(f"| {k} | {a:.2f} | {b:.2f} | {a/b:.2f}× | {c:.2f} | {e:.2f} | {c/e:.2f}× |")
        if k in ACTS:
            row(rows, tier, f"act/{k}/fwd", a, b, "Gelem/s")
            row(rows, tier, f"act/{k}/fwd+bwd", c, e, "Gelem/s")
    print()


def mlp(d, tier, rows):
    peaks = []
    for act in ("relu", "gelu"):
        tt = [last_json(f)["results"]["2"][act] for f in files(d, "torch-mlp.*.json")]
        ours, rss, acc = [], [], []
        for f in files(d, f"nl-mlp-{act}.*.txt"):
            text = read(f)
            secs = [float(m.group(1)) for m in re.finditer(r"([\d.]+)s\n", text)]
            if secs: ours.append(med(secs))
            m = re.search(r"peak_rss_kb (\d+)", text)
            if m: rss.append(int(m.group(1)) / 1024)
            a = re.findall(r"test acc\s+([\d.]+) %", text)
            if a: acc.append(float(a[-1]))
        if rss: peaks.append(med(rss))
        if ours and tt:
            a, b = med(ours), med([t["epoch_s_median"] for t in tt])
            print(f"MLP 784-256-256-10 {act}, Fashion-MNIST, 5 epochs, 2 threads: Nonlinear {a:.3f} s/epoch (median of epochs, median of {len(ours)} runs), "
                  f"PyTorch {b:.3f} s/epoch → {b/a:.2f}× PyTorch's speed"
                  + (f"; peak RSS {med(rss):.0f} MB" if rss else "")
                  + (f"; test acc {acc[-1]:.2f} % (PyTorch {100*tt[-1]['test_acc'][-1]:.2f} %)" if acc else ""))
            row(rows, tier, f"mlp/{act}/epoch", a, b, "s", higher_is_better=False)
    # PyTorch trains relu and gelu in one process, we run one process per activation: compare its peak with our larger one.
    torch_rss = [int(m.group(1)) / 1024 for f in files(d, "torch-mlp.*.rss") for m in [re.search(r"peak_rss_kb (\d+)", read(f))] if m]
    if peaks and torch_rss:
        a, b = max(peaks), med(torch_rss)
        print(f"Fashion-MNIST training peak RSS: Nonlinear {a:.0f} MB (the larger of relu, gelu), PyTorch {b:.0f} MB (both in one process)")
        row(rows, tier, "mem/fmnist-train-peak-mb", a, b, "MB", higher_is_better=False)
    print()


def kan(d, tier, rows):
    torch_k = [last_json(f)["results"]["2"].get("bspline_kan_256x256") for f in files(d, "torch-kan.*.json")]
    torch_k = [r["fwdbwd_ms"] for r in torch_k if r]
    ours = [float(m.group(1)) for f in files(d, "nl-kan.*.txt")
            for m in [re.search(r"^bspline_kan_256x256\s+fwd\s+[\d.]+ ms\s+fwd\+bwd\s+([\d.]+) ms", read(f), re.M)] if m]
    if torch_k and ours:
        a, b = med(ours), med(torch_k)
        print(f"B-spline KAN 256→256, batch 1024, fwd+bwd: Nonlinear {a:.2f} ms, PyTorch {b:.2f} ms → {b/a:.2f}×\n")
        row(rows, tier, "kan/bspline256/fwd+bwd", a, b, "ms", higher_is_better=False)


def infer(d, tier, rows):
    """784-256-256-10 MLP inference latency at batch 1 and 1024 (median wall µs per forward), with ONNX Runtime beside."""
    torch_i = {}
    for f in files(d, "torch-infer.*.json"):
        for b, r in last_json(f)["results"].items(): torch_i.setdefault(b, []).append(r["median_s"] * 1e6)
    ours, ort = {}, {}
    for f in files(d, "nl-infer.*.txt"):
        for m in re.finditer(r"^mlp-infer (\S+)\s+b(\d+)\s+median\s+([\d.]+) µs", read(f), re.M):
            (ours if m.group(1) == "nonlinear" else ort).setdefault("b" + m.group(2), []).append(float(m.group(3)))
    if not ours or not torch_i: return
    print("| MLP inference 784-256-256-10, 2 threads | Nonlinear µs | PyTorch µs | ratio | ONNX Runtime µs |\n|---|---|---|---|---|")
    for b in ("b1", "b1024"):
        if b in ours and b in torch_i:
            a, t = med(ours[b]), med(torch_i[b])
            o = f"{med(ort[b]):.1f}" if b in ort else "–"
            print(f"| batch {b[1:]} | {a:.1f} | {t:.1f} | {t/a:.2f}× | {o} |")
            row(rows, tier, f"mlp/infer/{b}", a, t, "µs", higher_is_better=False)
    print()


def tier_of(d):
    """The tier a flat folder measured, from the header our benchmark prints (SIMD Vec256 / tier=Vec512)."""
    for f in files(d, "nl-*.txt"):
        m = re.search(r"(?:SIMD |tier=)Vec(512|256)", read(f))
        if m: return "avx512" if m.group(1) == "512" else "avx2"
    return "unknown"


def main(d):
    tiers = [(t, os.path.join(d, t)) for t in ("avx512", "avx2") if os.path.isdir(os.path.join(d, t))] or [(tier_of(d), d)]
    cpu = read(os.path.join(d, "machine.txt")).strip() if os.path.exists(os.path.join(d, "machine.txt")) else ""
    rows = []
    for tier, folder in tiers:
        print(f"### {tier}" + (f" ({cpu})" if cpu else "") + "\n")
        for part in (gemm, activations, mlp, infer, kan):
            part(folder, tier, rows)
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump({"cpu": cpu, "rows": rows}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
