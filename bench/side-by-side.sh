#!/usr/bin/env bash
# Nonlinear and the PyTorch peers (../shared/peers), alternately in one session (A B A B …), 2 threads.
# PyTorch runs in its best configuration here (OpenBLAS auto-selected, tuned malloc; see the peers' README).
#   bash bench/side-by-side.sh [REPS]      → bench/results/<date>/*.json|*.txt, summarised in BENCHMARKS.md by hand
# Needs: apt-get install python3-torch python3-numpy libopenblas0-openmp dataset-fashion-mnist
set -euo pipefail
source "$(dirname "$0")/peers-env.sh"
dotnet build -c Release src/Nonlinear.Cli >/dev/null
NL="dotnet src/Nonlinear.Cli/bin/Release/net10.0/Nonlinear.Cli.dll"
what=${WHAT:-gemm,act,mlp}

for rep in $(seq 1 "$REPS"); do
  echo "[$(date +%T)] rep $rep" >&2
  if [[ $what == *gemm* ]]; then
    (cd "$PEERS" && $TORCH sgemm.py --threads 2 --no-peak) > "$OUT/torch-sgemm.$rep.json" 2>/dev/null
    $BENCH gemm-gflops 2 > "$OUT/nl-gemm.$rep.txt"
  fi
  if [[ $what == *act* ]]; then
    (cd "$PEERS" && $TORCH elementwise.py --threads 2) > "$OUT/torch-elementwise.$rep.json" 2>/dev/null
    $BENCH act-throughput 2 > "$OUT/nl-act.$rep.txt"
  fi
  if [[ $what == *mlp* ]]; then
    (cd "$PEERS" && $TORCH mlp_fmnist.py --threads 2 --acts relu,gelu --epochs 5) > "$OUT/torch-mlp.$rep.json" 2>/dev/null
    for act in relu gelu; do
      /usr/bin/time -f "peak_rss_kb %M" $NL train --data fashion-mnist --model mlp:256,256 --activation $act \
        --epochs 5 --batch 128 --lr 1e-3 --seed 0 --threads 2 > "$OUT/nl-mlp-$act.$rep.txt" 2>&1
    done
  fi
done
echo "results in $OUT" >&2
