#!/usr/bin/env bash
# Counts instructions (valgrind's callgrind) of the replications whose speed matters: one
# replication of the model bench's configuration (`london_10y`, unpooled, and
# `london_10y_pooled`), and one London replication through `caseload run --reps 1` (the
# replication itself, its spin-up included, and the whole command with its tables and charts).
# Instruction counts, unlike timings, do not move with what else a shared machine is doing, so
# two builds are compared by them (docs/performance.md). CI does not run it: each line takes
# about a minute under valgrind.
#
#   scripts/count-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in valgrind callgrind_annotate; do
  command -v "$tool" >/dev/null || {
    echo "count-instructions: $tool is not installed (Debian package valgrind)" >&2
    exit 2
  }
done
cargo build --release --quiet --bin caseload --example bench_replication
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command under callgrind, leaving its profile in $work/profile.
profile() {
  if ! valgrind --tool=callgrind --callgrind-out-file="$work/profile" "$@" \
    >/dev/null 2>"$work/stderr"; then
    echo "count-instructions: failed: $*" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
}

# The program's total instructions in the last profile.
total() {
  callgrind_annotate "$work/profile" | awk '/PROGRAM TOTALS/ { print $1; exit }'
}

# The instructions of a function and what it calls, in the last profile (its outermost call).
inclusive() {
  callgrind_annotate --inclusive=yes "$work/profile" |
    awk -v name="$1" 'index($0, name " [") { print $1; exit }'
}

echo "| workload | instructions |"
echo "|---|---|"
profile target/release/examples/bench_replication
echo "| model bench, \`london_10y\`, one replication | $(total) |"
profile target/release/examples/bench_replication pooled
echo "| model bench, \`london_10y_pooled\`, one replication | $(total) |"
profile target/release/caseload run scenarios/london-2014-response.toml --reps 1 \
  --out "$work/run"
echo "| London response, one replication | $(inclusive caseload_model::replication::run_replication_within) |"
echo "| London response, \`run --reps 1\` in all | $(total) |"
