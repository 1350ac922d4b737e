#!/usr/bin/env bash
# Times whole questions on the London scenario through the release binary: a run (20
# replications with the report, and 1 replication), a compare of the response's 12 options, an
# attribution of its actions and a sensitivity screen of its assumptions. Prints one markdown
# row per question: the median wall time of RUNS runs (default 3), its range, and the largest
# resident memory. CI does not run it: timings on shared machines are for comparing one build
# with another in the same session (docs/performance.md).
#
#   scripts/bench-questions.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --quiet
bin=target/release/caseload
scenario=scenarios/london-2014-response.toml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

questions=(
  "run, 20 replications, report|run $scenario --report"
  "run, 1 replication|run $scenario --reps 1"
  "compare, 13 options x 20 replications|compare $scenario"
  "attribute, 20 replications|attribute $scenario"
  "sensitivity, Morris 4 trajectories x 2 replications|sensitivity $scenario --kpi backlog_end --reps 2 --trajectories 4"
)

echo "| question | wall, median (range) | largest process |"
echo "|---|---|---|"
for question in "${questions[@]}"; do
  name=${question%%|*}
  args=${question#*|}
  walls=()
  peak=0
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out"
    # shellcheck disable=SC2086 # the arguments are words
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" $args --out "$work/out" > /dev/null 2>&1
    read -r wall kb < "$work/time"
    walls+=("$wall")
    ((kb > peak)) && peak=$kb
  done
  sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
  median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
  low=$(echo "$sorted" | head -1)
  high=$(echo "$sorted" | tail -1)
  echo "| $name | $median s ($low-$high) | $((peak / 1024)) MB |"
done
