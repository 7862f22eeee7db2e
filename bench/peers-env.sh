# Shared set-up of the side-by-side scripts (sourced, with the script's arguments): repository root, the peers' folder
# (PEERS, default ../shared/peers), repetitions (first argument, default 3), the output folder (OUT, default the dated
# bench/results/<date>; a second session on one day passes its own), PyTorch in its best
# configuration on this machine (OpenBLAS auto-selected, tuned malloc; see the peers' README) and our benchmark binary.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PEERS=$(cd "${PEERS:-../shared/peers}" && pwd)
REPS=${1:-3}
OUT=${OUT:-bench/results/$(date +%F)}
mkdir -p "$OUT"
TORCH="env -u OPENBLAS_CORETYPE -u ATEN_CPU_CAPABILITY -u OMP_NUM_THREADS GLIBC_TUNABLES=glibc.malloc.hugetlb=1 MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 /usr/bin/python3"
dotnet build -c Release bench/Nonlinear.Benchmarks >/dev/null
BENCH="dotnet bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll"
