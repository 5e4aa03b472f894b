#!/usr/bin/env python3
"""What each connected event-pipe client costs the published service (standard library only), for
docs/performance.md.

One service (stdin source, shipped model) is fed real speech with a real "computer" every minute, as fast as it takes
it. Clients are plain Unix-socket readers that read every line (hello, heartbeats, wake events), as any language's
client would. The count steps up (0, 1, 8, 32, 63: the default limit is 64); at each step the service gets `--minutes`
of audio with that many clients connected, then its resident set, threads, open files and the CPU time it spent per
hour of audio are printed, with the events each client got.

Usage: bench/pipe-clients.py [--minutes M] [--app DIR] [--cli DIR]"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import wave

from published import ROOT, publish

AUDIO = os.path.join(ROOT, "tests", "data", "audio")


def pcm(name: str) -> bytes:
    with wave.open(os.path.join(AUDIO, name)) as w:
        assert w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1, name
        return w.readframes(w.getnframes())


class Reader(threading.Thread):
    def __init__(self, path: str):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.wakes = 0
        self.lines = 0

    def run(self):
        buf = b""
        try:
            while chunk := self.sock.recv(65536):
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    self.lines += 1
                    if b'"type":"wake"' in line:
                        self.wakes += 1
        except OSError:
            pass


def proc_figures(pid: int) -> dict:
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"rss_mb": int(status["VmRSS"].split()[0]) / 1024, "threads": int(status["Threads"]),
            "files": len(os.listdir(f"/proc/{pid}/fd")), "cpu_s": (int(stat[11]) + int(stat[12])) / ticks}


def processed(cli: str, sock: str) -> float:
    r = subprocess.run([os.path.join(cli, "wakeword"), "status", "--pipe", sock, "--json"], capture_output=True, text=True)
    return float(json.loads(r.stdout)["audio_processed_s"]) if r.returncode == 0 else 0.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=int, default=30, help="minutes of audio per step (default 30)")
    p.add_argument("--app")
    p.add_argument("--cli")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="wakeword-clients-")
    proc = None
    try:
        app = a.app or publish("WakeWord.Service", os.path.join(work, "app"))
        cli = a.cli or publish("WakeWord.Cli", os.path.join(work, "cli"))
        sock = os.path.join(work, "ev.sock")
        proc = subprocess.Popen([os.path.join(app, "wakeword-service"), "--Audio:Source=stdin", "--Audio:RealTime=false",
                                 f"--Events:PipeName={sock}", f"--Serilog:WriteTo:1:Args:path={work}/logs/w-.log"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not os.path.exists(sock):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the service did not start serving")
            time.sleep(0.05)
        # A minute: 57 s of real speech and room noise, then a real "computer".
        minute = pcm("negatives_long.wav")[:57 * 32000] + pcm("computer_real_1.wav")
        minute_s = len(minute) / 32000
        readers: list[Reader] = []
        fed_s = 0.0
        print("clients | audio fed | resident | threads | open files | CPU s per hour of audio | wakes per client")
        for count in (0, 1, 8, 32, 63):
            while len(readers) < count:
                r = Reader(sock)
                r.start()
                readers.append(r)
            before = proc_figures(proc.pid)
            wakes_before = [r.wakes for r in readers]
            step_s = 0.0
            while step_s < a.minutes * 60:
                proc.stdin.write(minute)
                step_s += minute_s
            proc.stdin.flush()
            fed_s += step_s
            while processed(cli, sock) < fed_s - 0.2:  # all of it scored (the last chunk may wait for more)
                time.sleep(0.2)
            time.sleep(1.0)  # let the last wake events reach the readers before counting
            after = proc_figures(proc.pid)
            got = [r.wakes - w for r, w in zip(readers, wakes_before)]
            cpu_per_hour = (after["cpu_s"] - before["cpu_s"]) / (step_s / 3600)
            wakes = f"{min(got)}-{max(got)}" if got else "-"
            print(f"{count:7d} | {fed_s / 60:7.0f} min | {after['rss_mb']:6.1f} MB | {after['threads']:7d} | "
                  f"{after['files']:10d} | {cpu_per_hour:23.1f} | {wakes} (of {round(step_s / minute_s)})", flush=True)
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
