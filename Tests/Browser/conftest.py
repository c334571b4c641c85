"""Fixtures for the browser tests: a backend (the real todod, or the Python mock), Chromium,
and a signed-in page.

Environment:
  TODOD_UI_BACKEND   daemon (default) | mock
  TODOD_BIN_DIR      where todod and todoctl are (default: <repo>/.build/debug)
  CHROMIUM           the browser binary (default /usr/bin/chromium)
  ARTIFACTS_DIR      screenshots and figures (default /tmp/todod-artifacts)
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
STARTED = time.time()
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# MARK: - Helpers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return
            last = e
        except OSError as e:
            last = e
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s: {last}")


def start_python(script: str, *args: str) -> tuple[subprocess.Popen, int]:
    """Starts one of our helper servers with --port 0 and reads the port it printed."""
    proc = subprocess.Popen([sys.executable, str(HERE / script), "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 15
    while time.time() < deadline:
        line = proc.stdout.readline()
        m = re.match(r"listening on (\d+)", line or "")
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"{script} did not start")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# MARK: - Backends

class DaemonBackend:
    """The real todod (with the scripted LLM), in a temporary data directory on a free port."""

    name = "daemon"

    def __init__(self) -> None:
        bins = Path(os.environ.get("TODOD_BIN_DIR", REPO / ".build" / "debug"))
        self.todod, self.todoctl = bins / "todod", bins / "todoctl"
        for b in (self.todod, self.todoctl):
            if not b.exists():
                raise RuntimeError(f"{b} is missing: run `swift build` first")
        self.tmp = Path(tempfile.mkdtemp(prefix="todod-ui-"))
        self.llm, llm_port = start_python("scripted_llm.py")
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "TODOD_DATA_DIR": str(self.tmp / "data"),
            "TODOD_CONTROL_SOCKET": str(self.tmp / "todod.sock"),
            "TODOD_HTTP": f"127.0.0.1:{self.port}",
            "TODOD_CHAT_RATE_LIMIT": "100000",  # "0" (limit off, per issue 3) is refused by todod at the moment
            "TODOD_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
            "TODOD_LLM_API_KEY": "scripted-test-key",
            "TODOD_LLM_MODEL": "scripted",
            "TODOD_LLM_TIMEOUT": "20",
        }
        for var in ("DISPLAY", "WAYLAND_DISPLAY"):  # todoctl open must not launch a browser of its own
            self.env.pop(var, None)
        self.log = open(self.tmp / "todod.log", "w")
        self.proc = subprocess.Popen([str(self.todod)], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_http(self.base_url + "/healthz", 60, self.proc)
        except Exception:
            self.close()
            raise RuntimeError(f"todod did not start; log:\n{(self.tmp / 'todod.log').read_text()[-3000:]}")

    def signin_url(self) -> str:
        out = subprocess.run([str(self.todoctl), "open", "--no-browser"], env=self.env, capture_output=True, text=True, timeout=30)
        m = re.search(r"http://\S+/login#\S+", out.stdout + out.stderr)
        if not m:
            raise RuntimeError(f"todoctl open printed no sign-in URL (exit {out.returncode}): {out.stdout} {out.stderr}")
        return m.group(0)

    def close(self) -> None:
        stop(self.proc)
        stop(self.llm)
        self.log.close()
        if os.environ.get("KEEP_TMP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)


class MockBackend:
    """Tests/Browser/mock_api.py: the API in Python, for developing the UI without todod."""

    name = "mock"

    def __init__(self) -> None:
        self.proc, self.port = start_python("mock_api.py")
        self.base_url = f"http://127.0.0.1:{self.port}"

    def signin_url(self) -> str:
        req = urllib.request.Request(self.base_url + "/mock/code", method="POST", data=b"{}")
        with urllib.request.urlopen(req) as r:
            return f"{self.base_url}/login#{json.load(r)['code']}"

    def close(self) -> None:
        stop(self.proc)


# MARK: - Fixtures

@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("ARTIFACTS_DIR", "/tmp/todod-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def backend():
    kind = os.environ.get("TODOD_UI_BACKEND", "daemon")
    b = MockBackend() if kind == "mock" else DaemonBackend()
    yield b
    b.close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        exe = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def sign_in(page, backend) -> None:
    page.goto(backend.signin_url())
    page.wait_for_url(backend.base_url + "/")
    page.wait_for_selector("#tasks-heading")


@pytest.fixture(scope="module")
def session(browser, backend):
    """One signed-in browser context (desktop size) shared by a module's tests, in order."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None)
    sign_in(page, backend)
    yield page, errors
    context.close()


def pytest_terminal_summary(terminalreporter):
    """Prints the figures test_figures.py measured (also in $ARTIFACTS_DIR/figures.json)."""
    path = Path(os.environ.get("ARTIFACTS_DIR", "/tmp/todod-artifacts")) / "figures.json"
    if path.exists() and path.stat().st_mtime > STARTED:
        terminalreporter.write_sep("-", f"UI figures ({path})")
        terminalreporter.write_line(path.read_text())
