#!/usr/bin/env bash
# One SAE training step (d_in 256, d_sae 4096, batch 4096): ours (`sae` mode) and the PyTorch peer
# (../shared/peers/sae_topk.py, timing only), alternately in one session (A B A B …), 2 threads.
#   bash bench/sae-side-by-side.sh [REPS]   → bench/results/<date>/sae-{nl,torch}.<rep>.txt and the raw lines on stdout
set -euo pipefail
source "$(dirname "$0")/peers-env.sh"
for rep in $(seq 1 "$REPS"); do
  echo "[$(date +%T)] rep $rep" >&2
  $BENCH sae 2 | tee "$OUT/sae-nl.$rep.txt"
  (cd "$PEERS" && $TORCH sae_topk.py --threads 2 --train-kinds "" --repeats 5) 2>/dev/null | tee "$OUT/sae-torch.$rep.txt"
done
