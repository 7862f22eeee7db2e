#!/usr/bin/env bash
# KAN layers, Nonlinear vs the PyTorch peer (../shared/peers/kan_layer.py), alternately in one session (A B A B …), 2 threads.
#   bash bench/kan-side-by-side.sh [REPS]   → bench/results/<date>/torch-kan.<rep>.json, nl-kan.<rep>.txt, then the ratio table
# PyTorch runs in its best configuration (OpenBLAS auto-selected, tuned malloc; see the peers' README).
set -euo pipefail
source "$(dirname "$0")/peers-env.sh"
for rep in $(seq 1 "$REPS"); do
  echo "[$(date +%T)] rep $rep" >&2
  (cd "$PEERS" && $TORCH kan_layer.py --threads 2) > "$OUT/torch-kan.$rep.json" 2>/dev/null
  $BENCH kan-layer 2 > "$OUT/nl-kan.$rep.txt"
done
/usr/bin/python3 bench/kan_summary.py "$OUT"
