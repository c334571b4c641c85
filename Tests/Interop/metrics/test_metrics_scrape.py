"""GET /metrics read by an independent Prometheus text parser: `prometheus_client.parser` (PyPI).

Run:  .build/venv-tests/bin/python -m pytest -q Tests/Interop/metrics
Starts its own todod (temp dir, free port), scrapes /metrics, drives REST requests and a control-socket add, scrapes
again and checks that the families parse, carry the documented types and names, and that their counters moved.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[3]
TODOD = os.environ.get("TODOD_BIN", str(ROOT / ".build/debug/todod"))
TODOCTL = os.environ.get("TODOCTL_BIN", str(ROOT / ".build/debug/todoctl"))


@pytest.fixture()
def daemon():
    tmp = Path(tempfile.mkdtemp(prefix="todod-metrics-"))
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    sock = tmp / "ctl.sock"
    log = open(tmp / "todod.log", "wb")
    proc = subprocess.Popen([TODOD, "--data-dir", str(tmp / "data"), "--control-socket", str(sock), "--http", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("todod did not start: " + (tmp / "todod.log").read_text())
            time.sleep(0.05)
    yield dict(tmp=tmp, sock=str(sock), base=f"http://127.0.0.1:{port}")
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def scrape(d) -> dict:
    """Families by name, parsed by prometheus_client from a fresh GET /metrics."""
    with urllib.request.urlopen(d["base"] + "/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    return {f.name: f for f in text_string_to_metric_families(text)}


def value(families: dict, family: str, sample: str, **labels) -> float:
    """The sum of `sample` in `family` over the series whose labels include `labels` (0 when absent)."""
    f = families.get(family)
    if f is None:
        return 0.0
    return sum(s.value for s in f.samples if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items()))


def request(d, method: str, path: str, token: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(d["base"] + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_families_parse_with_prometheus_names_and_types(daemon):
    families = scrape(daemon)
    assert families, "no metric families"
    for name, f in families.items():
        assert name.startswith("todod_"), name
        if f.type == "counter":
            assert all(s.name.endswith(("_total", "_created")) for s in f.samples), name
        if f.type == "histogram":
            assert name.endswith(("_seconds", "_records")), name
    assert families["todod_build_info"].type == "gauge"
    assert families["todod_build_info"].samples[0].labels["version"]
    assert families["todod_process_start_time_seconds"].samples[0].value > 1_700_000_000


def test_counters_move(daemon):
    before = scrape(daemon)
    token = subprocess.run([TODOCTL, "token", "--socket", daemon["sock"]], capture_output=True, text=True, check=True).stdout.strip()
    assert request(daemon, "POST", "/api/tasks", token, {"title": "scraped"}) == 201
    assert request(daemon, "GET", "/api/tasks", token) == 200
    assert request(daemon, "GET", "/api/tasks/nope", token) == 404
    subprocess.run([TODOCTL, "add", "from the control socket", "--socket", daemon["sock"]], capture_output=True, check=True)

    # A request is counted once its body has been written: poll, bounded.
    deadline = time.monotonic() + 10
    while True:
        after = scrape(daemon)
        if value(after, "todod_http_requests", "todod_http_requests_total", route="/api/tasks/{id}", status="404") >= 1:
            break
        assert time.monotonic() < deadline, "the request counter never moved"
        time.sleep(0.05)
    assert value(after, "todod_http_requests", "todod_http_requests_total", route="/api/tasks", method="POST", status="201") == 1
    assert value(after, "todod_http_requests", "todod_http_requests_total", route="/api/tasks", method="GET", status="200") == 1
    assert value(after, "todod_http_request_duration_seconds", "todod_http_request_duration_seconds_count", route="/api/tasks") == 2
    appends_before = value(before, "todod_store_appends", "todod_store_appends_total")
    assert value(after, "todod_store_appends", "todod_store_appends_total") >= appends_before + 2
    assert value(after, "todod_store_fdatasync_seconds", "todod_store_fdatasync_seconds_count") >= 2
    assert value(after, "todod_store_batch_records", "todod_store_batch_records_count") >= 2
    assert value(after, "todod_store_file_bytes", "todod_store_file_bytes", file="tasks") > 0
    assert value(after, "todod_store_lines", "todod_store_lines", file="tasks", state="live") >= 2  # tasks and undo entries
    assert value(after, "todod_control_connections", "todod_control_connections_total") > \
        value(before, "todod_control_connections", "todod_control_connections_total")

    status = subprocess.run([TODOCTL, "status", "--socket", daemon["sock"]], capture_output=True, text=True, check=True).stdout
    assert "store appends" in status and "batch mean" in status
