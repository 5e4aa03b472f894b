#!/usr/bin/env bash
# The full suite on fresh clones, several runs in a row, with CPU hogs running the whole time (issue 26's bar: three
# runs, two hogs); says what each run left in /tmp and /var/tmp and which .NET processes left debugger pipes there.
#
#   tests/scripts/suite-under-load.sh [RUNS] [HOGS]      (defaults 3 and 2; from the repository root)
#
# Each run clones the repository's HEAD into a new folder beside it (not in /tmp, so that /tmp can be compared),
# runs `dotnet test WakeWord.sln -c Release` there and deletes the clone. Stops at the first red run. Output: one
# line per run (exit code, seconds, the test counts, what is new in /tmp and /var/tmp); logs in the folder it prints.
set -u
runs=${1:-3}
hog_count=${2:-2}
repo=$(git rev-parse --show-toplevel)
out=$(mktemp -d "$(dirname "$repo")/suite-under-load.XXXXXX")
hogs=()
for ((i = 0; i < hog_count; i++)); do setsid sh -c 'while :; do :; done' & hogs+=($!); done
cleanup() { kill "${hogs[@]}" "$watch" 2>/dev/null; rm -rf "$out/clone"; }
trap cleanup EXIT
# Every .NET process that makes a debugger pipe in /tmp, with its command line, while it is alive.
( declare -A seen
  while :; do
    for f in /tmp/clr-debug-pipe-*-in; do
      [[ -e $f ]] || continue
      pid=${f#/tmp/clr-debug-pipe-}; pid=${pid%%-*}
      [[ -n ${seen[$pid]:-} ]] && continue
      seen[$pid]=1
      echo "$(date +%T) $pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-300)"
    done
    sleep 0.5
  done ) > "$out/pipes.log" 2>&1 &
watch=$!
echo "logs in $out; $hog_count CPU hogs running"
# Both temp folders: systemd puts a PrivateTmp= unit's folders in /var/tmp too (eleven old ones were found there).
temp_entries() { { ls -A /tmp | sed 's|^|/tmp/|'; ls -A /var/tmp | sed 's|^|/var/tmp/|'; } | sort; }
for ((run = 1; run <= runs; run++)); do
  temp_entries > "$out/tmp-before-$run.txt"
  rm -rf "$out/clone" && git clone -q "$repo" "$out/clone"
  start=$(date +%s)
  (cd "$out/clone" && dotnet test WakeWord.sln -c Release) > "$out/run-$run.log" 2>&1
  rc=$?
  commit=$(git -C "$out/clone" log --oneline -1)
  rm -rf "$out/clone"
  sleep 5 # the reapers of killed test hosts check every 2 s
  temp_entries > "$out/tmp-after-$run.txt"
  echo "run $run: exit $rc after $(($(date +%s) - start)) s at $commit"
  grep -E "^(Passed|Failed)!" "$out/run-$run.log" | sed 's/^/  /'
  echo "  new in /tmp and /var/tmp: $(comm -13 "$out/tmp-before-$run.txt" "$out/tmp-after-$run.txt" | tr '\n' ' ')"
  [[ $rc == 0 ]] || exit "$rc"
done
