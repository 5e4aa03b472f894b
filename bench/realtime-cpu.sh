#!/usr/bin/env bash
# CPU share of one core for the published service at real-time pace, the way it runs on a microphone: audio on stdin
# with Audio:RealTime=true (paced to the wall clock), shipped model, one event-pipe client (`wakeword listen`).
# Measured from /proc/PID/stat (user + system time) over the run after a minute of warm-up.
# Usage: bench/realtime-cpu.sh [minutes, default 10]   (WAKEWORD_APP=dir / WAKEWORD_CLI=dir: published folders to use)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
work=$(mktemp -d)
pid=""; listener=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; [[ -n "$listener" ]] && kill "$listener" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
app=${WAKEWORD_APP:-}; cli=${WAKEWORD_CLI:-}
if [[ -z "$app" ]]; then echo "publishing the service (Release) ..." >&2; dotnet publish src/WakeWord.Service -c Release -o "$work/app" >/dev/null; app="$work/app"; fi
if [[ -z "$cli" ]]; then echo "publishing the CLI (Release) ..." >&2; dotnet publish src/WakeWord.Cli -c Release -o "$work/cli" >/dev/null; cli="$work/cli"; fi
mkfifo "$work/in"
"$app/wakeword-service" --Audio:Source=stdin --Audio:RealTime=true --Events:PipeName="$work/ev.sock" \
  --Serilog:WriteTo:1:Args:path="$work/logs/w-.log" <"$work/in" >"$work/log.txt" 2>&1 &
pid=$!
exec 3>"$work/in"
tail -c +45 tests/data/audio/negatives_long.wav >"$work/minute.pcm"
( for ((i = 0; i < minutes + 2; i++)); do cat "$work/minute.pcm"; done >&3 ) 2>/dev/null &
for ((i = 0; i < 600; i++)); do [[ -S "$work/ev.sock" ]] && break; sleep 0.1; done
"$cli/wakeword" listen --pipe "$work/ev.sock" >/dev/null 2>&1 &
listener=$!
ticks=$(getconf CLK_TCK)
cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat"; }
echo "warming up for 60 s ..." >&2
sleep 60
c0=$(cpu); t0=$(date +%s.%N)
for ((m = 1; m <= minutes; m++)); do
  sleep 60
  kill -0 "$pid" 2>/dev/null || { echo "the service exited:" >&2; tail -20 "$work/log.txt" >&2; exit 1; }
  echo "  minute $m/$minutes: $(awk -v c="$(cpu)" -v c0="$c0" -v t="$(date +%s.%N)" -v t0="$t0" -v k="$ticks" 'BEGIN { printf "%.3f%% of one core so far", 100 * (c - c0) / k / (t - t0) }')" >&2
done
c1=$(cpu); t1=$(date +%s.%N)
awk -v c="$c1" -v c0="$c0" -v t="$t1" -v t0="$t0" -v k="$ticks" -v rss="$(grep VmRSS /proc/$pid/status | awk '{print $2}')" \
  'BEGIN { printf "real-time pace, %.0f s measured: %.2f CPU s, %.3f%% of one core; VmRSS %.1f MB\n", t - t0, (c - c0) / k, 100 * (c - c0) / k / (t - t0), rss / 1024 }'
