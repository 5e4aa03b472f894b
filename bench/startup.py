#!/usr/bin/env python3
"""Start-up times, printed as figures for docs/performance.md (standard library only).

- The published service from exec to READY=1: systemd's readiness message, which the service sends once the models
  are loaded, the audio source is open and the event pipe serves (src/WakeWord.Service/Systemd). This script owns the
  NOTIFY_SOCKET datagram socket, as systemd would. The source is stdin (a pipe this script holds open), so no sound
  server is timed.
- `wakeword detect` on a 1 s file, from exec to exit: what a user's one-off check or a script costs.

Usage: bench/startup.py [--runs N] [--app DIR] [--cli DIR]   (publishes Release builds into a temporary folder unless
given published folders). Prints each run and the median and the minimum."""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import wave

from published import ROOT, publish



def one_second_wav(path: str) -> None:
    with wave.open(os.path.join(ROOT, "tests", "data", "audio", "negatives_long.wav")) as src:
        frames = src.readframes(src.getframerate())
        params = src.getparams()
    with wave.open(path, "wb") as dst:
        dst.setparams(params)
        dst.writeframes(frames)


def service_to_ready(app: str, work: str, run: int) -> float:
    notify = os.path.join(work, f"notify{run}.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(notify)
    sock.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=notify)
    args = [os.path.join(app, "wakeword-service"), "--Audio:Source=stdin",
            f"--Events:PipeName={os.path.join(work, f'ev{run}.sock')}",
            f"--Serilog:WriteTo:1:Args:path={os.path.join(work, 'logs', 'w-.log')}"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            message = sock.recv(4096).decode()
            if "READY=1" in message.split("\n"):
                return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        sock.close()
        os.unlink(notify)


def detect_one_second(cli: str, wav: str) -> float:
    start = time.perf_counter()
    r = subprocess.run([os.path.join(cli, "wakeword"), "detect", wav, "--model",
                        os.path.join(ROOT, "models", "computer.onnx")], capture_output=True, text=True)
    took = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"wakeword detect failed ({r.returncode}): {r.stderr}")
    return took


def report(name: str, values: list[float]) -> None:
    runs = ", ".join(f"{v * 1000:.0f}" for v in values)
    print(f"{name}: median {statistics.median(values) * 1000:.0f} ms, min {min(values) * 1000:.0f} ms "
          f"({len(values)} runs: {runs} ms)", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--app", help="a published service folder (default: publish one)")
    p.add_argument("--cli", help="a published CLI folder (default: publish one)")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="wakeword-startup-")
    try:
        app = a.app or publish("WakeWord.Service", os.path.join(work, "app"))
        cli = a.cli or publish("WakeWord.Cli", os.path.join(work, "cli"))
        wav = os.path.join(work, "one-second.wav")
        one_second_wav(wav)
        # One untimed run of each first: the first start after a publish reads the files from disk.
        service_to_ready(app, work, -1)
        detect_one_second(cli, wav)
        ready = []
        for i in range(a.runs):
            ready.append(service_to_ready(app, work, i))
            print(f"  service run {i + 1}/{a.runs}: READY=1 after {ready[-1] * 1000:.0f} ms", file=sys.stderr, flush=True)
        detect = []
        for i in range(a.runs):
            detect.append(detect_one_second(cli, wav))
            print(f"  detect run {i + 1}/{a.runs}: {detect[-1] * 1000:.0f} ms", file=sys.stderr, flush=True)
        report("service exec -> READY=1 (stdin source, shipped model)", ready)
        report("wakeword detect on a 1 s WAV, exec -> exit", detect)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
