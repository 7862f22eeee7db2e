#!/usr/bin/env bash
# Session 8 idle measurements (merger), in /work/wt/merge == main.
set -uo pipefail
cd /work/wt/merge
export PEERS=/work/shared/peers
R=bench/results/2026-12-08-s8
mkdir -p $R
B=bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll
NL="dotnet src/Nonlinear.Cli/bin/Release/net10.0/Nonlinear.Cli.dll"
TORCH="env -u OPENBLAS_CORETYPE -u ATEN_CPU_CAPABILITY -u OMP_NUM_THREADS GLIBC_TUNABLES=glibc.malloc.hugetlb=1 MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 /usr/bin/python3"
log() { echo "[$(date +%T)] $* | $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $R/log.txt; }
log start
OUT=$R WHAT=act,gemm,mlp,infer bash bench/side-by-side.sh 1 > $R/side-by-side.txt 2>&1; log side-by-side done
OUT=$R bash bench/lm-side-by-side.sh 2 > $R/lm.txt 2>&1; log lm done
for rep in 1 2; do
  SNN_STEPS_ONLY=1 dotnet $B snn-step 2 > $R/snn-nl.$rep.txt 2>&1
  (cd bench/peers && $TORCH snn_step_cpu.py --threads 2 --steps 15) > $R/snn-torch.$rep.txt 2>&1
done; log snn done
M=/tmp/s8int8; mkdir -p $M
[ -f $M/f.safetensors ] || $NL train --data fashion-mnist --model mlp:256,256 --activation relu --epochs 5 --batch 128 --lr 1e-3 --seed 0 --threads 2 --store none --save $M/f.safetensors > $M/train.txt 2>&1
$NL quantize $M/f.safetensors --method minmax --out $M/q8.safetensors --threads 2 --bench > $R/quantize-q8.txt 2>&1
$NL quantize $M/f.safetensors --method minmax --reduce-range --out $M/q7.safetensors --threads 2 --bench > $R/quantize-q7.txt 2>&1
dotnet $B int8-threads 2 $M/q8.safetensors $M/q7.safetensors > $R/int8-threads.txt 2>&1
dotnet $B int8-infer 2 $M/q8.safetensors $M/q7.safetensors > $R/int8-infer.txt 2>&1
(cd $PEERS && $TORCH int8_linear.py --threads 2,1) > $R/int8-torch.txt 2>&1
log int8 done
bash bench/sweep-scaling.sh 2 3 > $R/sweep.txt 2>&1; log sweep done
