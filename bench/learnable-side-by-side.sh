#!/usr/bin/env bash
# Padé (5,4) and other learnable activations: Nonlinear vs the PyTorch peer ../shared/peers/rational.py, alternately
# (A B A B …), 2 threads, 16M floats. Tiered JIT off, as in the CLI (tier-0 code of out-of-line math otherwise lingers under load). Results → bench/results/<date>/torch-rational.<rep>.json, nl-learnable.<rep>.txt
#   bash bench/learnable-side-by-side.sh [REPS]
set -euo pipefail
source "$(dirname "$0")/peers-env.sh"
BENCH="env DOTNET_TieredCompilation=0 $BENCH"
for rep in $(seq 1 "$REPS"); do
  echo "[$(date +%T)] rep $rep" >&2
  (cd "$PEERS" && $TORCH rational.py --threads 2) > "$OUT/torch-rational.$rep.json" 2>/dev/null
  $BENCH learnable-throughput 2 > "$OUT/nl-learnable.$rep.txt"
done
# Ratio of medians over the reps: PyTorch's better variant (autograd or manual) vs our module path and kernel path.
/usr/bin/python3 - "$OUT" "$REPS" <<'PY'
import json, re, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
t_f, t_fb, k_f, k_fb, m_f, m_fb = [], [], [], [], [], []
for r in range(1, reps + 1):
    res = json.load(open(f"{out}/torch-rational.{r}.json"))["results"]["2"]
    t_f.append(min(v["fwd_ms"] for v in res.values())); t_fb.append(min(v["fwdbwd_ms"] for v in res.values()))
    for line in open(f"{out}/nl-learnable.{r}.txt"):
        m = re.match(r"(kernel|module)\s+pau\(5,4\) safe\s+fwd\s+([\d.]+) ms.*fwd\+bwd\s+([\d.]+) ms", line)
        if m:
            (k_f if m[1] == "kernel" else m_f).append(float(m[2])); (k_fb if m[1] == "kernel" else m_fb).append(float(m[3]))
med = statistics.median
print(f"PAU (5,4), 16M floats, 2 threads, median of {reps}: torch fwd {med(t_f):.1f} ms, fwd+bwd {med(t_fb):.1f} ms")
print(f"  Nonlinear module: fwd {med(m_f):.1f} ms ({med(t_f)/med(m_f):.1f}x), fwd+bwd {med(m_fb):.1f} ms ({med(t_fb)/med(m_fb):.1f}x)")
print(f"  Nonlinear kernel: fwd {med(k_f):.1f} ms ({med(t_f)/med(k_f):.1f}x), fwd+bwd {med(k_fb):.1f} ms ({med(t_fb)/med(k_fb):.1f}x)")
PY
