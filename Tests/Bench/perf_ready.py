#!/usr/bin/env python3
"""Start-to-READY and idle figures of a real todod (issue 11), for Tests/Bench/perf_bench.sh.

Starts TODOD N times on an empty data directory with NOTIFY_SOCKET pointing at a datagram socket this
script owns; the time from just before exec to the READY=1 datagram is one sample. On the first start it
also waits --idle seconds and reads VmRSS and Threads from /proc/PID/status. Every start is stopped with
SIGTERM and must exit 0. Prints a JSON object:
  {"starts": N, "ready_ms": {"p50", "min", "max"}, "idle_rss_mb", "idle_threads"}
Usage: perf_ready.py --todod PATH --work DIR [--starts 7] [--idle 2]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time


def status_field(pid: int, name: str) -> int | None:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def start_once(todod: str, work: str, index: int, idle: float | None) -> tuple[float, int | None, int | None]:
    data = os.path.join(work, f"ready-data-{index}")
    notify = os.path.join(work, "ready-notify.sock")
    if os.path.exists(notify):
        os.unlink(notify)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(notify)
    sock.settimeout(60)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TODOD_", "LISTEN_", "NOTIFY_"))}
    env["NOTIFY_SOCKET"] = notify
    args = [todod, "--data-dir", data, "--control-socket", os.path.join(work, f"ready-{index}.sock"),
            "--http", "127.0.0.1:0", "--log-level", "warning"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            try:
                msg = sock.recv(4096)
            except socket.timeout:
                raise SystemExit(f"perf_ready: todod sent no READY=1 within 60 s")
            if b"READY=1" in msg.split(b"\n"):
                ready_ms = (time.perf_counter() - t0) * 1000.0
                break
        rss = threads = None
        if idle is not None:
            time.sleep(idle)
            rss, threads = status_field(proc.pid, "VmRSS"), status_field(proc.pid, "Threads")
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        sock.close()
    if proc.returncode != 0:
        raise SystemExit(f"perf_ready: todod exited {proc.returncode}: {err.decode(errors='replace')[-500:]}")
    return ready_ms, rss, threads


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--todod", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--starts", type=int, default=7)
    ap.add_argument("--idle", type=float, default=2.0)
    a = ap.parse_args()
    times, rss, threads = [], None, None
    for i in range(max(1, a.starts)):
        ms, r, t = start_once(a.todod, a.work, i, a.idle if i == 0 else None)
        times.append(ms)
        if i == 0:
            rss, threads = r, t
    times.sort()
    out = {"starts": len(times),
           "ready_ms": {"p50": round(times[len(times) // 2], 2), "min": round(times[0], 2), "max": round(times[-1], 2)},
           "idle_rss_mb": round(rss / 1024, 1) if rss else None, "idle_threads": threads}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
