"""An independent parser check of todod's iCalendar support, with Python's `icalendar` (PyPI).

Run:  .build/venv-tests/bin/python -m pytest -q Tests/Interop/ical
Starts its own todod (temp dir, free port). A calendar written by `icalendar` goes in with `todoctl import FILE.ics`;
`todoctl export --format ics` and `GET /api/tasks.ics` come out and are read back with `icalendar`.
"""
from __future__ import annotations

import datetime as dt
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
from zoneinfo import ZoneInfo

import icalendar
import pytest

ROOT = Path(__file__).resolve().parents[3]
TODOD = os.environ.get("TODOD_BIN", str(ROOT / ".build/debug/todod"))
TODOCTL = os.environ.get("TODOCTL_BIN", str(ROOT / ".build/debug/todoctl"))
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture()
def daemon():
    tmp = Path(tempfile.mkdtemp(prefix="todod-ical-"))
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
        except urllib.error.HTTPError:
            break  # it answers
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


def todoctl(d, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([TODOCTL, *args, "--socket", d["sock"]], capture_output=True, text=True)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def written_by_icalendar() -> bytes:
    """A calendar as the `icalendar` library writes it: every field todod maps."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//python icalendar//interop test//EN")
    cal.add("version", "2.0")
    rent = icalendar.Todo()
    rent.add("uid", "py-rent@example.com")
    rent.add("dtstamp", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    rent.add("summary", "Pay rent, then; relax \\ now")
    rent.add("description", "Line one\nLine two, with comma")
    rent.add("due", dt.datetime(2026, 12, 1, 17, 0, tzinfo=BERLIN))
    rent.add("priority", 3)
    rent.add("categories", ["Home", "Money"])
    rent.add("rrule", {"freq": "monthly", "bymonthday": 1})
    rent.add("x-todod-project", "Flat")
    cal.add_component(rent)
    chore = icalendar.Todo()
    chore.add("uid", "py-chore@example.com")
    chore.add("dtstamp", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    chore.add("summary", "Old chore")
    chore.add("due", dt.date(2026, 11, 15))
    chore.add("status", "COMPLETED")
    chore.add("completed", dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.timezone.utc))
    chore.add("priority", 9)
    cal.add_component(chore)
    broken = icalendar.Todo()
    broken.add("uid", "py-broken@example.com")
    broken.add("description", "no summary")
    cal.add_component(broken)
    return cal.to_ical()


def check_calendar(raw: bytes) -> None:
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["version"]) == "2.0"
    assert str(cal["prodid"]) == "-//todod//todod//EN"
    todos = {str(t["summary"]): t for t in cal.walk("VTODO")}
    assert set(todos) == {"Pay rent, then; relax \\ now", "Old chore", "Over REST"}
    rent = todos["Pay rent, then; relax \\ now"]
    assert str(rent["uid"]).endswith("@todod")
    assert str(rent["description"]) == "Line one\nLine two, with comma"
    due = rent["due"].dt
    assert due == dt.datetime(2026, 12, 1, 17, 0, tzinfo=BERLIN)  # the same instant, whatever zone it is written in
    assert str(rent["x-todod-due"]) == "2026-12-01T17:00:00+01:00"
    assert str(rent["x-todod-tzid"]) == "Europe/Berlin"
    assert int(rent["priority"]) == 3
    assert sorted(str(c) for c in rent["categories"].cats) == ["home", "money"]
    assert rent["rrule"]["FREQ"] == ["MONTHLY"] and rent["rrule"]["BYMONTHDAY"] == [1]
    assert rent["dtstart"].dt == due
    assert str(rent["x-todod-project"]) == "Flat"
    assert str(rent["status"]) == "NEEDS-ACTION"
    chore = todos["Old chore"]
    assert chore["due"].dt == dt.date(2026, 11, 15)
    assert str(chore["status"]) == "COMPLETED"
    assert chore["completed"].dt == dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.timezone.utc)
    assert int(chore["priority"]) == 7  # todod p4
    rest = todos["Over REST"]
    assert str(rest["description"]) == "made with POST /api/tasks"
    assert "due" not in rest and "priority" not in rest
    for t in todos.values():
        assert isinstance(t["dtstamp"].dt, dt.datetime) and t["created"].dt.tzinfo is not None


def test_import_from_icalendar_then_export_both_ways(daemon):
    src = daemon["tmp"] / "from-python.ics"
    src.write_bytes(written_by_icalendar())
    r = todoctl(daemon, "import", str(src))
    assert "imported 2 todo(s): 2 new" in r.stdout
    assert "VTODO has no SUMMARY" in r.stderr  # the third todo, reported with its line
    line = int(r.stderr.split("from-python.ics:")[1].split(":")[0])
    assert src.read_bytes().split(b"\r\n")[line - 1] == b"BEGIN:VTODO"

    token = todoctl(daemon, "token").stdout.strip()
    body = json.dumps({"title": "Over REST", "description": "made with POST /api/tasks"}).encode()
    req = urllib.request.Request(daemon["base"] + "/api/tasks", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert urllib.request.urlopen(req, timeout=10).status == 201

    out = daemon["tmp"] / "export.ics"
    todoctl(daemon, "export", "--format", "ics", "--output", str(out))
    check_calendar(out.read_bytes())

    req = urllib.request.Request(daemon["base"] + "/api/tasks.ics", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
        check_calendar(resp.read())

    # Re-importing todod's own export changes nothing.
    again = json.loads(todoctl(daemon, "import", str(out), "--json").stdout)
    assert again["added"] == 0 and again["unchanged"] == 3 and again["problems"] == []
    listed = json.loads(todoctl(daemon, "list", "--json").stdout)
    assert len(listed["tasks"]) == 3


def test_nothing_importable_fails(daemon):
    bad = daemon["tmp"] / "bad.ics"
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add_component(icalendar.Event())
    bad.write_bytes(cal.to_ical())
    r = todoctl(daemon, "import", str(bad), check=False)
    assert r.returncode == 1
    assert "nothing could be imported" in r.stderr
