#!/usr/bin/env bash
# Character-LM training (issue 12): ours (`nonlinear lm train`, 20 steps of gpt:4x128, batch 32 × ctx 128, the tokens/s
# its progress line prints, JIT steps included) and the PyTorch peer (../shared/peers/gpt_char.py, median of 3 steps),
# alternately in one session (A B A B …), 2 threads, gelu and swiglu; then the `lm-step` mode (median step, page faults,
# GC collections and MB allocated per step).
#   bash bench/lm-side-by-side.sh [REPS]   → bench/results/<date>/lm-{nl,torch,step}.<rep>.txt and the raw lines on stdout
set -euo pipefail
source "$(dirname "$0")/peers-env.sh"
dotnet build -c Release src/Nonlinear.Cli >/dev/null
NL="dotnet src/Nonlinear.Cli/bin/Release/net10.0/Nonlinear.Cli.dll"
for rep in $(seq 1 "$REPS"); do
  echo "[$(date +%T)] rep $rep" >&2
  for mlp in gelu swiglu; do
    $NL lm train --text bundled --model gpt:4x128 --mlp "$mlp" --steps 20 --eval-every 20 --batch 32 --sample 0 \
      --threads 2 --store none --out "${TMPDIR:-/tmp}/nonlinear-lm-side-$mlp.safetensors" 2>&1 | tr '\r' '\n' | grep 'tokens/s' | tail -1 \
      | sed "s/^/$mlp /" | tee -a "$OUT/lm-nl.$rep.txt"
  done
  (cd "$PEERS" && $TORCH gpt_char.py --threads 2 --mlps gelu,swiglu --repeats 3) 2>/dev/null | grep '^threads' | tee "$OUT/lm-torch.$rep.txt"
  $BENCH lm-step 2 gelu,swiglu 3 | tee "$OUT/lm-step.$rep.txt"
done
