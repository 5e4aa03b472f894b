#!/usr/bin/env bash
# What the published service's resident set is made of after a given amount of audio (default one hour), fed on stdin
# as fast as the service takes it (the steady state is the same as at real-time pace, only sooner). Prints VmRSS and
# VmHWM, the resident set per mapping kind (from /proc/PID/smaps) and the .NET runtime's own view (GC heap, threads).
# Usage: bench/service-memory.sh [audio-seconds] [-- extra service settings, e.g. --Models:Active:1:Name=x]
#   WAKEWORD_APP=dir  use an already published service there instead of publishing one (also WAKEWORD_CLI=dir)
#   MODELS=N          run N copies of the model at once (default 1)
#   MODEL=path        the model to run (default models/computer.onnx; a head finds the shipped front end)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
shift || true
[[ "${1:-}" == "--" ]] && shift
models=${MODELS:-1}
work=$(mktemp -d)
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
app=${WAKEWORD_APP:-}
cli=${WAKEWORD_CLI:-}
if [[ -z "$app" ]]; then
  echo "publishing the service (Release) ..." >&2
  dotnet publish src/WakeWord.Service -c Release -o "$work/app" >/dev/null
  app="$work/app"
fi
if [[ -z "$cli" ]]; then
  echo "publishing the CLI (Release) ..." >&2
  dotnet publish src/WakeWord.Cli -c Release -o "$work/cli" >/dev/null
  cli="$work/cli"
fi
mkdir -p "$work/models"
active=(--Models:Active:0:Word=)
for ((m = 0; m < models; m++)); do
  cp "${MODEL:-models/computer.onnx}" "$work/models/computer$m.onnx"
  active+=("--Models:Active:$m:Path=$work/models/computer$m.onnx")
done
mkfifo "$work/in"
"$app/wakeword-service" --Audio:Source=stdin --Audio:RealTime=false --Models:Directory="$work/models" "${active[@]}" \
  --Events:PipeName="$work/ev.sock" --Serilog:WriteTo:1:Args:path="$work/logs/w-.log" "$@" <"$work/in" >"$work/log.txt" 2>&1 &
pid=$!
exec 3>"$work/in"
# tests/data/audio/negatives_long.wav: 60 s of real speech and room noise, 16 kHz mono s16le after a 44-byte header.
tail -c +45 tests/data/audio/negatives_long.wav >"$work/minute.pcm"
( for ((i = 0; i * 60 < seconds + 60; i++)); do cat "$work/minute.pcm"; done >&3 ) 2>/dev/null &
processed() { { "$cli/wakeword" status --pipe "$work/ev.sock" --json 2>/dev/null || true; } | sed -n 's/.*"audio_processed_s":\([0-9.]*\).*/\1/p' | head -1; }
next=600
while :; do
  kill -0 "$pid" 2>/dev/null || { echo "the service exited:" >&2; tail -20 "$work/log.txt" >&2; exit 1; }
  done_s=$(processed); done_s=${done_s:-0}
  if awk -v d="$done_s" -v n="$next" 'BEGIN { exit !(d >= n) }'; then
    echo "  $(printf '%.0f' "$done_s") s of audio: $(grep VmRSS /proc/$pid/status | tr -s ' ')" >&2
    next=$((next + 600))
  fi
  awk -v d="$done_s" -v s="$seconds" 'BEGIN { exit !(d >= s) }' && break
  sleep 0.5
done
echo "models: $models; after $(printf '%.0f' "$(processed)") s of audio: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr -s ' \n' ' ')"
echo "threads: $(grep Threads /proc/$pid/status | awk '{print $2}'), open files: $(ls /proc/$pid/fd | wc -l)"
[[ -n "${SMAPS_COPY:-}" ]] && cp "/proc/$pid/smaps" "$SMAPS_COPY"
echo "resident set by mapping (kB):"
awk '
  /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anonymous]"; sub(/.*\//, "", name); next }
  /^Rss:/ { rss[name] += $2 }
  END { for (n in rss) if (rss[n] >= (ENVIRON["MIN_KB"] == "" ? 256 : ENVIRON["MIN_KB"])) printf "  %8d  %s\n", rss[n], n }' "/proc/$pid/smaps" | sort -rn
(grep -c "Wake word" "$work/log.txt" || true) | sed 's/^/wake events: /'
