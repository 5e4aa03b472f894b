#!/usr/bin/env bash
# Starts a private PulseAudio daemon for capture tests and prints the lines to put in the environment.
#
#   tests/scripts/start-pulseaudio.sh [DIR]      (DIR defaults to a new temp dir; reused as is when it exists)
#
# The daemon runs without the user's config (-n), with its socket, runtime dir and HOME under DIR, so it works as root
# (as in CI: it warns that it is "not intended to be run as root" and runs anyway) and never touches a desktop's
# server. It loads a null sink "wakeword_sink" (the default sink, so `paplay` plays into it) and a remap source
# "wakeword_mic" over the sink's monitor (the default source), so what is played comes back as microphone input.
# Its log, with times since its start, is DIR/pulseaudio.log (WW_PULSE_LOG_LEVEL=debug for the details of every
# stream; default notice). Its pid goes to DIR/pid; stop it with tests/scripts/stop-pulseaudio.sh DIR. Output (stdout), one per line:
#   PULSE_SERVER=unix:DIR/native
#   PULSE_CLIENTCONFIG=DIR/client.conf
#   PULSE_PID=<pid>
#   PULSE_DIR=DIR
set -euo pipefail

dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/wakeword-pulse.XXXXXX")}"
mkdir -p "$dir/runtime" "$dir/home"
chmod 700 "$dir/runtime"

if ! command -v pulseaudio >/dev/null 2>&1; then
    echo "start-pulseaudio: pulseaudio is not installed (apt-get install pulseaudio pulseaudio-utils)" >&2
    exit 2
fi

cat > "$dir/default.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$dir/native
load-module module-null-sink sink_name=wakeword_sink sink_properties=device.description=WakeWordTestSink
set-default-sink wakeword_sink
load-module module-remap-source source_name=wakeword_mic master=wakeword_sink.monitor source_properties=device.description=WakeWordTestMic
set-default-source wakeword_mic
PA
# Clients of this server must never autospawn a daemon of their own when it is down (the restart tests kill it).
printf 'autospawn = no\n' > "$dir/client.conf"

export HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" PULSE_RUNTIME_PATH="$dir/runtime"
# setsid + redirected output: the daemon outlives this script and holds none of its caller's pipes.
setsid pulseaudio -n -F "$dir/default.pa" --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
    --disallow-exit --log-target=file:"$dir/pulseaudio.log" --log-level=${WW_PULSE_LOG_LEVEL:-notice} --log-time=1 </dev/null >/dev/null 2>&1 &
pid=$!
echo "$pid" > "$dir/pid"

export PULSE_SERVER="unix:$dir/native" PULSE_CLIENTCONFIG="$dir/client.conf"
for _ in $(seq 1 100); do
    if pactl info >/dev/null 2>&1; then
        echo "PULSE_SERVER=$PULSE_SERVER"
        echo "PULSE_CLIENTCONFIG=$PULSE_CLIENTCONFIG"
        echo "PULSE_PID=$pid"
        echo "PULSE_DIR=$dir"
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "start-pulseaudio: the daemon exited at start; its log:" >&2
        cat "$dir/pulseaudio.log" >&2 || true
        exit 1
    fi
    sleep 0.1
done
echo "start-pulseaudio: the daemon (pid $pid) did not answer within 10 s; stopping it" >&2
kill "$pid" 2>/dev/null || true
exit 1
