#!/usr/bin/env bash
# Nonlinear and the PyTorch peers (../shared/peers), alternately in one session (A B A B …), 2 threads, per SIMD tier.
# PyTorch runs in its best configuration here (OpenBLAS auto-selected, tuned malloc; see the peers' README).
#   WHAT=gemm,act,mlp,infer,kan bash bench/side-by-side.sh [REPS]
#     → bench/results/<date>/machine.txt (CPU model), <tier>/*.json|*.txt, the tables on stdout and summary.json
#       (bench/summarize.py). The default WHAT is gemm,act,mlp.
# Tiers: avx2 always; on an AVX-512 host also avx512, measured first. The avx2 tier of an AVX-512 host runs ours with
# DOTNET_EnableAVX512F=0 and PyTorch with ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell, so both use 256-bit code.
# Needs: apt-get install python3-torch python3-numpy libopenblas0-openmp dataset-fashion-mnist
set -euo pipefail
source "$(dirname "$0")/peers-env.sh"
dotnet build -c Release src/Nonlinear.Cli >/dev/null
NL="dotnet src/Nonlinear.Cli/bin/Release/net10.0/Nonlinear.Cli.dll"
what=${WHAT:-gemm,act,mlp}
OUT=$(cd "$OUT" && pwd)

grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name\s*:\s*//' > "$OUT/machine.txt"
tiers=avx2
grep -qw avx512f /proc/cpuinfo && tiers="avx512 avx2"

for tier in $tiers; do
  dir="$OUT/$tier"
  mkdir -p "$dir"
  if [[ $tier == avx2 && $tiers == *avx512* ]]; then
    ours="env DOTNET_EnableAVX512F=0"
    torch="${TORCH/env -u OPENBLAS_CORETYPE -u ATEN_CPU_CAPABILITY -u OMP_NUM_THREADS/env -u OMP_NUM_THREADS ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell}"
  else
    ours="env" torch="$TORCH"
  fi
  for rep in $(seq 1 "$REPS"); do
    echo "[$(date +%T)] $tier rep $rep" >&2
    if [[ $what == *gemm* ]]; then
      (cd "$PEERS" && $torch sgemm.py --threads 2 --no-peak) > "$dir/torch-sgemm.$rep.json" 2>/dev/null
      $ours $BENCH gemm-gflops 2 > "$dir/nl-gemm.$rep.txt"
    fi
    if [[ $what == *act* ]]; then
      (cd "$PEERS" && $torch elementwise.py --threads 2) > "$dir/torch-elementwise.$rep.json" 2>/dev/null
      $ours $BENCH act-throughput 2 > "$dir/nl-act.$rep.txt"
    fi
    if [[ $what == *mlp* ]]; then
      (cd "$PEERS" && /usr/bin/time -o "$dir/torch-mlp.$rep.rss" -f "peak_rss_kb %M" \
        $torch mlp_fmnist.py --threads 2 --acts relu,gelu --epochs 5) > "$dir/torch-mlp.$rep.json" 2>/dev/null
      for act in relu gelu; do
        /usr/bin/time -f "peak_rss_kb %M" $ours $NL train --data fashion-mnist --model mlp:256,256 --activation $act \
          --epochs 5 --batch 128 --lr 1e-3 --seed 0 --threads 2 > "$dir/nl-mlp-$act.$rep.txt" 2>&1
      done
    fi
    if [[ $what == *infer* ]]; then
      $torch bench/peers/mlp_infer.py --threads 2 > "$dir/torch-infer.$rep.json" 2>/dev/null
      $ours $BENCH mlp-infer 2 > "$dir/nl-infer.$rep.txt"
    fi
    if [[ $what == *kan* ]]; then
      (cd "$PEERS" && $torch kan_layer.py --threads 2) > "$dir/torch-kan.$rep.json" 2>/dev/null
      $ours $BENCH kan-layer 2 > "$dir/nl-kan.$rep.txt"
    fi
  done
done
/usr/bin/python3 bench/summarize.py "$OUT"
echo "results in $OUT (summary.json)" >&2
