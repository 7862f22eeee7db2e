#!/usr/bin/env python3
"""Ratio table for bench/kan-side-by-side.sh: medians over repetitions of the peer's and our ms per call.

    /usr/bin/python3 bench/kan_summary.py bench/results/<date>
"""
import glob
import json
import re
import statistics
import sys

def main(folder):
    torch, ours = {}, {}
    for path in sorted(glob.glob(folder + "/torch-kan.*.json")):
        with open(path) as f:
            data = json.loads(f.read().strip().splitlines()[-1])
        for name, r in data["results"]["2"].items():
            torch.setdefault(name, []).append((r["fwd_ms"], r["fwdbwd_ms"]))
    pat = re.compile(r"^(\S+?)_(\d+)x(\d+)\s+fwd\s+([\d.]+) ms\s+fwd\+bwd\s+([\d.]+) ms")
    for path in sorted(glob.glob(folder + "/nl-kan.*.txt")):
        with open(path) as f:
            for line in f:
                m = pat.match(line)
                if m:
                    ours.setdefault("%s_%sx%s" % m.group(1, 2, 3), []).append((float(m.group(4)), float(m.group(5))))
    print("| layer | PyTorch fwd / fwd+bwd ms | Nonlinear fwd / fwd+bwd ms | speed-up fwd / fwd+bwd |")
    print("|---|---|---|---|")
    for name in sorted(ours):
        o = [statistics.median(v[i] for v in ours[name]) for i in (0, 1)]
        peer = re.sub(r"_(dense|sparse)(?=_\d+x\d+$)", "", name)   # both B-spline computations against the one peer layer
        if peer in torch:
            t = [statistics.median(v[i] for v in torch[peer]) for i in (0, 1)]
            print("| %s | %.2f / %.2f | %.2f / %.2f | %.1f× / %.1f× |" % (name, t[0], t[1], o[0], o[1], t[0] / o[0], t[1] / o[1]))
        else:
            print("| %s | — | %.2f / %.2f | — |" % (name, o[0], o[1]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
