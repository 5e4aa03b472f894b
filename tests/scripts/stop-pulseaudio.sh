#!/usr/bin/env bash
# Stops the daemon that start-pulseaudio.sh started in DIR, by the pid it recorded, and removes DIR.
#   tests/scripts/stop-pulseaudio.sh DIR [--keep]   (--keep leaves DIR for a restart with start-pulseaudio.sh DIR)
set -euo pipefail
dir="${1:?usage: stop-pulseaudio.sh DIR [--keep]}"
if [[ -f "$dir/pid" ]]; then
    pid="$(cat "$dir/pid")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
fi
if [[ "${2:-}" != "--keep" ]]; then
    rm -rf "$dir"
fi
