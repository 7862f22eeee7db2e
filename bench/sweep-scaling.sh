#!/usr/bin/env bash
# Sweep scaling: the same 24-trial digits study run by 1 worker, by W worker processes and by one process with W
# worker threads (`sweep work --workers W`), every worker with 1 kernel thread, in turn (1, W processes, W threads, 1,
# …) so that drift in the machine's load hits all three alike. Wall time is from the first worker's start to the last
# worker's exit; the study is created once and copied for every run, so `sweep create` is not timed. Prints one line
# per repetition and the median speed-ups, with the CPU seconds (user + sys) the workers used: on a shared machine
# the wall times are only comparable while the load is low, the CPU seconds always. Under each repetition: the GC line
# of the 1-worker run and of the W-thread process (collections, seconds paused, gen0 budget).
#   bash bench/sweep-scaling.sh [REPS=3] [W=3]
# Env: EPOCHS (20), NL (the CLI command; default: dotnet src/Nonlinear.Cli/bin/Release/net10.0/Nonlinear.Cli.dll,
# built first), KEEP=1 keeps the scratch folder. On 2 cores, W single-thread workers can be at most 2× faster than 1.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
W=${2:-3}
EPOCHS=${EPOCHS:-20}
if [[ -z ${NL:-} ]]; then
  dotnet build -c Release src/Nonlinear.Cli >/dev/null
  NL="dotnet src/Nonlinear.Cli/bin/Release/net10.0/Nonlinear.Cli.dll"
fi
scratch=$(mktemp -d /tmp/sweep-scaling.XXXXXX)
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$scratch"' EXIT

$NL sweep create --store "$scratch/template.sqlite" --name digits24 --activations relu,gelu,silu,tanh \
  --models "mlp:256,256" --seeds 6 --epochs "$EPOCHS" --batch 16 >/dev/null

# One measurement: a fresh copy of the study, $1 worker processes with $2 workers each started together, seconds
# until the last exits.
run() {
  local workers=$1 per=$2 dir
  dir=$(mktemp -d "$scratch/run.XXXXXX")
  cp "$scratch/template.sqlite" "$dir/s.sqlite"
  local start end pids=()
  start=$(date +%s.%N)
  for i in $(seq 1 "$workers"); do
    $NL sweep work --store "$dir/s.sqlite" --threads 1 --workers "$per" >"$dir/w$i.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  local completed
  completed=$(grep -ho 'completed [0-9]* trial(s)' "$dir"/w*.log | awk '{s += $2} END {print s}')
  [[ $completed == 24 ]] || { echo "run with $workers process(es) × $per worker(s) completed $completed of 24 trials:" >&2; tail -n 5 "$dir"/w*.log >&2; exit 1; }
  # `times`' second line: user and system time of this subshell's finished children (the workers), e.g. 0m1.5s 0m0.1s.
  local cpu
  times >"$dir/times"   # here, not in a pipe: a forked shell reports no children's time
  cpu=$(tail -n 1 "$dir/times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] } print s }')
  # The workers' GC line (`sweep work` prints it last): collections and pauses, which stop every thread of a process.
  echo "$(echo "$end - $start" | bc) $cpu $(grep -h '^gc:' "$dir"/w1.log | head -n 1)"
}

ones=() procs=() threads=()
for r in $(seq 1 "$REPS"); do
  read -r a ca ga < <(run 1 1); read -r b cb _ < <(run "$W" 1); read -r c cc gc < <(run 1 "$W")
  [[ -n $a && -n $b && -n $c ]] || exit 1
  ones+=("$a"); procs+=("$b"); threads+=("$c")
  printf 'rep %d: 1 worker %.2f s (cpu %.2f s); %d processes %.2f s (%.2fx, cpu %.2f s); 1 process with %d workers %.2f s (%.2fx, cpu %.2f s)\n' \
    "$r" "$a" "$ca" "$W" "$b" "$(echo "$a / $b" | bc -l)" "$cb" "$W" "$c" "$(echo "$a / $c" | bc -l)" "$cc"
  printf '  1 worker %s\n  %d workers in 1 process %s\n' "$ga" "$W" "$gc"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
m1=$(median "${ones[@]}"); mp=$(median "${procs[@]}"); mt=$(median "${threads[@]}")
printf 'median: 1 worker %.2f s; %d processes %.2f s (%.2fx); 1 process with %d workers %.2f s (%.2fx). %d cores: %d single-thread workers can reach at most %dx\n' \
  "$m1" "$W" "$mp" "$(echo "$m1 / $mp" | bc -l)" "$W" "$mt" "$(echo "$m1 / $mt" | bc -l)" "$(nproc)" "$W" "$(( W < $(nproc) ? W : $(nproc) ))"
