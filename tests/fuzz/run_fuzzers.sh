#!/usr/bin/env bash
# Runs every fuzzer listed in <build>/fuzzers.txt for <seconds> each, two at a time,
# under the ASan+UBSan build. Any crash, leak, UB report or timeout fails the run;
# the reproducer is left in <build>/fuzz-artifacts/<name>/.
set -uo pipefail
build=$1
seconds=${2:-60}
list="$build/fuzzers.txt"
[ -f "$list" ] || { echo "run_fuzzers: $list not found"; exit 1; }

pids=()
names=()
while IFS='|' read -r name exe corpus; do
  [ -n "$name" ] || continue
  work="$build/fuzz-work/$name"
  artifacts="$build/fuzz-artifacts/$name"
  mkdir -p "$work" "$artifacts"
  seeds=()
  [ -d "$corpus" ] && seeds=("$corpus")
  echo "fuzzing $name for ${seconds}s"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ASAN_OPTIONS=detect_leaks=1 \
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" \
      >"$build/fuzz-$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done <"$list"

status=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-${names[$i]}.log" | grep -o '[0-9]*$')
    echo "fuzz ${names[$i]}: no findings (${runs:-?} inputs)"
  else
    echo "fuzz ${names[$i]}: FINDING, log follows"
    tail -n 60 "$build/fuzz-${names[$i]}.log"
    status=1
  fi
done
exit $status
