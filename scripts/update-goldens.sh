#!/usr/bin/env bash
# Regenerates the golden outputs in tests/golden/ from the cases listed in
# tests/golden/cases.txt, with the m2msim binary of a build folder:
#
#   scripts/update-goldens.sh [BUILD_DIR]     (default: build)
#
# For each case it keeps summary.json, devices.csv and gateways.csv, and coverage.csv when
# the case's folder already holds one. Review `git diff tests/golden` and
# commit the change on its own, saying which model change caused it and why
# the new numbers are right: the goldens are what every later change is
# compared against (tests/golden/golden_test.cpp).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
cli="$build/cli/m2msim"
[ -x "$cli" ] || { echo "update-goldens: $cli not found; build first (cmake --build $build)" >&2; exit 2; }
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
while read -r name scenario args; do
  case "$name" in ''|'#'*) continue ;; esac
  out="$tmp/$name"
  # shellcheck disable=SC2086  # the case's arguments are split on purpose
  "$cli" run "$scenario" $args --output "$out" -q
  mkdir -p "tests/golden/$name"
  files=(summary.json devices.csv gateways.csv)
  [ -f "tests/golden/$name/coverage.csv" ] && files+=(coverage.csv)
  for f in "${files[@]}"; do cp "$out/$f" "tests/golden/$name/$f"; done
  echo "tests/golden/$name: ${files[*]}"
done < tests/golden/cases.txt
