#!/usr/bin/env bash
# Resident set of the Release-published service (shipped model, event pipe on) while it listens to audio on stdin at
# real-time pace, as it would to a microphone. Prints VmRSS and VmHWM after the given seconds (default 60).
# Usage: bench/service-rss.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "publishing the service (Release) ..." >&2
dotnet publish src/WakeWord.Service -c Release -o "$work/app" >/dev/null
mkfifo "$work/in"
"$work/app/wakeword-service" --Audio:Source=stdin --Audio:RealTime=true \
  --Events:PipeName="$work/ev.sock" --Serilog:WriteTo:1:Args:path="$work/logs/w-.log" <"$work/in" >"$work/log.txt" 2>&1 &
pid=$!
exec 3>"$work/in"
# tests/data/audio/negatives_long.wav: 60 s of real speech and room noise, 16 kHz mono s16le after a 44-byte header.
for ((i = 0; i * 60 < seconds + 5; i++)); do tail -c +45 tests/data/audio/negatives_long.wav >&3; done &
for ((t = 0; t < seconds; t += 10)); do
  sleep 10
  echo "  ${t}+10 s: $(grep VmRSS /proc/$pid/status | tr -s ' ')" >&2
done
echo "after ${seconds} s of audio: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr -s ' \n' ' ')"
(grep -c "Wake word" "$work/log.txt" || true) | sed 's/^/wake events (expected 0 on this file): /'
