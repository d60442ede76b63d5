#!/bin/sh
# Sweep speed-up on this machine (issue 6): the wall time of a sweep of
# 2 x N equal runs with -j 2 divided by the same sweep with -j 1, measured
# N_PAIRS times in alternation (the machine's speed drifts by tens of per
# cent over minutes, so only paired, alternated measurements compare; the
# order within a pair alternates too), and
# the same for a cache-resident control sweep of the same event count (500
# devices for 40 days instead of 20 000 for one day), whose runs share no
# memory traffic worth the name: what the control loses is the machine's,
# not the program's.
#
#   bench/sweep_speedup.sh [BUILD_DIR] [N_PAIRS]
set -eu
build=${1:-build}
pairs=${2:-7}
m2msim="$build/cli/m2msim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(dirname "$0")
sed 's/count: 20000/count: 500/; s/duration: 1 d/duration: 40 d/; s/\[20000\]/[500]/; s/^name: sweep-speedup/name: sweep-speedup-control/' \
  "$here/scenarios/sweep-speedup.yaml" > "$tmp/control.yaml"
seconds() {  # seconds SCENARIO JOBS
  rm -f "$tmp"/run.db*
  start=$(date +%s.%N)
  "$m2msim" sweep "$1" --db "$tmp/run.db" -j "$2" -q
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {print b - a}' 
}
for name in sweep-speedup control; do
  if [ "$name" = control ]; then file="$tmp/control.yaml"; else file="$here/scenarios/sweep-speedup.yaml"; fi
  ratios=""
  i=0
  while [ "$i" -lt "$pairs" ]; do
    # Which goes first alternates from pair to pair, so that a machine
    # speeding up or slowing down over the minutes favours neither.
    if [ $((i % 2)) -eq 0 ]; then
      t1=$(seconds "$file" 1)
      t2=$(seconds "$file" 2)
    else
      t2=$(seconds "$file" 2)
      t1=$(seconds "$file" 1)
    fi
    r=$(awk -v a="$t1" -v b="$t2" 'BEGIN {print b / a}')
    printf '%s pair %d: -j1 %.2f s, -j2 %.2f s, ratio %.3f\n' "$name" "$i" "$t1" "$t2" "$r"
    ratios="$ratios $r"
    i=$((i + 1))
  done
  echo "$ratios" | tr ' ' '\n' | grep . | sort -g | awk -v n="$name" '{v[NR]=$1} END {printf "%s: median ratio %.3f (min %.3f, max %.3f, %d pairs)\n", n, (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), v[1], v[NR], NR}'
done
