#!/usr/bin/env python3
"""Static vs dynamic todod, side by side: file size, start to READY and idle RSS. Prints figures; asserts nothing.

    python3 Tests/Static/measure.py [--runs 20] [--idle 1.0] LABEL=PATH/TO/todod [LABEL=PATH ...]

For each binary: its size (and the size after `strip --strip-all` of a copy when it has a symbol table), then
RUNS starts (interleaved across the binaries) with an empty data directory, HTTP on a free loopback port and NOTIFY_SOCKET pointing at a datagram
socket of this script: start to READY is the time from spawn to the "READY=1" datagram (sd_notify), with the
process's CPU time (user+sys) at that moment (less sensitive to other load than wall time), idle RSS and
thread count are read from /proc/PID/status IDLE seconds after READY. p50 and max are printed per binary.
Standard library only (no venv needed).
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process so far (clock ticks; 10 ms granularity on most kernels)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(binary: str, idle: float) -> tuple:
    """Returns (seconds to READY, VmRSS kB, Threads, CPU seconds at READY) for one start with an empty store."""
    with tempfile.TemporaryDirectory(prefix="todod-measure-") as tmp:
        notify_path = os.path.join(tmp, "notify.sock")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(30)
        env = dict(os.environ, NOTIFY_SOCKET=notify_path, TODOD_LOG_LEVEL="error")
        args = [binary, "--data-dir", os.path.join(tmp, "data"), "--control-socket", os.path.join(tmp, "ctl.sock"),
                "--http", f"127.0.0.1:{free_port()}"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while True:
                message = notify.recv(4096).decode(errors="replace")
                if "READY=1" in message.split("\n"):
                    ready = time.perf_counter() - t0
                    cpu = cpu_seconds(proc.pid)
                    break
            time.sleep(idle)
            status = proc_status(proc.pid)
            return ready, int(status["VmRSS"].split()[0]), int(status["Threads"]), cpu
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            notify.close()


def size_line(binary: str) -> str:
    size = os.path.getsize(binary)
    sections = subprocess.run(["readelf", "-S", binary], capture_output=True, text=True).stdout
    if ".symtab" not in sections or not shutil.which("strip"):
        return f"{size / 1e6:.1f} MB (stripped)" if ".symtab" not in sections else f"{size / 1e6:.1f} MB"
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "todod")
        subprocess.run(["strip", "--strip-all", "-o", copy, binary], check=True)
        return f"{size / 1e6:.1f} MB, {os.path.getsize(copy) / 1e6:.1f} MB stripped"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=1.0, help="seconds after READY before RSS is read")
    parser.add_argument("binaries", nargs="+", metavar="LABEL=PATH")
    opts = parser.parse_args()
    binaries = []
    for spec in opts.binaries:
        label, _, binary = spec.partition("=")
        if not binary or not os.access(binary, os.X_OK):
            print(f"error: {spec!r} is not LABEL=EXECUTABLE", file=sys.stderr)
            return 2
        binaries.append((label, binary))
        one_start(binary, 0)  # warm the page cache
    # Interleaved (a, b, a, b, ...), so that load from elsewhere on the machine falls on both alike.
    runs = {label: [] for label, _ in binaries}
    for _ in range(opts.runs):
        for label, binary in binaries:
            runs[label].append(one_start(binary, opts.idle))
    for label, binary in binaries:
        libs = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout.count("=>")
        ready = sorted(r[0] * 1000 for r in runs[label])
        rss = sorted(r[1] / 1024 for r in runs[label])
        threads = sorted(r[2] for r in runs[label])
        cpu = statistics.mean(r[3] * 1000 for r in runs[label])
        print(f"{label}: {binary}")
        print(f"  size            {size_line(binary)}; {libs} shared libraries (ldd)")
        print(f"  start to READY  p50 {statistics.median(ready):.1f} ms, min {ready[0]:.1f} ms, max {ready[-1]:.1f} ms "
              f"({opts.runs} runs); CPU (user+sys) to READY mean {cpu:.0f} ms")
        print(f"  idle RSS        p50 {statistics.median(rss):.1f} MB, max {rss[-1]:.1f} MB "
              f"({opts.idle:g} s after READY); threads {statistics.median(threads):g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
