#!/usr/bin/env python3
"""The summary of Tests/Bench/perf_bench.sh: reads the raw results in --work and prints every figure of
issue 11's "What it must show" with its goal and met / NOT met, then the details behind each figure.
Figures that could not be measured print "not available" (with the reason) instead of failing the run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics


def load(work: str, name: str) -> dict | None:
    try:
        return json.load(open(os.path.join(work, name + ".json")))
    except (OSError, ValueError):
        return None


def text(work: str, name: str) -> str:
    try:
        return open(os.path.join(work, name)).read()
    except OSError:
        return ""


def cpu_ms(result: dict | None, pid: int) -> float | None:
    if not result:
        return None
    return result.get("watched_cpu_ms_per_turn", {}).get(str(pid))


def p50(result: dict | None, key: str) -> float | None:
    if not result:
        return None
    return result["latency_ms"][key].get("p50")


def problems(result: dict | None) -> str:
    """Empty when every timed turn completed, else a short note (a figure from failed turns is suspect)."""
    if result is None:
        return "no result"
    notes = []
    if result["failures"]:
        notes.append(f"{result['failures']} failed turns {result['failure_samples'][:1]}")
    if result["turns_without_delta"]:
        notes.append(f"{result['turns_without_delta']} turns without a text delta")
    return "; ".join(notes)


def group_commit(store_text: str) -> tuple[float | None, str]:
    """The group-commit ratio todo-bench store prints (or the ratio of its two 16-client adds/s lines)."""
    for line in store_text.splitlines():
        low = line.lower()
        if "group commit" in low and "16" in low and ("speed-up" in low or "ratio" in low or " vs " in low):
            m = re.search(r"(\d+(?:\.\d+)?)\s*x\b", line)
            if m:
                return float(m.group(1)), line.strip()
    rates = {}
    for line in store_text.splitlines():
        m = re.search(r"16 clients, (group commit|one fdatasync per write).*?(\d+(?:\.\d+)?) adds/s", line)
        if m:
            rates[m.group(1)] = float(m.group(2))
    if len(rates) == 2 and rates["one fdatasync per write"]:
        return rates["group commit"] / rates["one fdatasync per write"], "computed from the two 16-client adds/s lines"
    return None, "no group-commit figure in todo-bench store's output"


def startup(work: str) -> tuple[dict, str]:
    """Cases of `todo-bench startup` ({'empty'|'large': {label, p50, max, rss, threads}}) or a reason."""
    rc = text(work, "startup.rc").strip()
    out, err = text(work, "startup.txt"), text(work, "startup.err")
    if rc != "0":
        if "unknown benchmark" in err:
            return {}, "not available: this todo-bench has no 'startup' subcommand"
        return {}, f"not available: todo-bench startup exited {rc}: {err.strip()[-200:]}"
    cases: dict = {}
    current = None
    for line in out.splitlines():
        m = re.search(r"p50\s*([\d.]+)\s*ms.*?max\s*([\d.]+)\s*ms", line)
        if m and "READY" in line:
            label = line.split("exec")[0].strip() or "?"
            current = "empty" if "empty" in label else "large"
            cases[current] = {"label": label, "p50": float(m.group(1)), "max": float(m.group(2))}
            continue
        r = re.search(r"RSS\s*([\d.]+)\s*MB", line)
        if r and current:
            cases[current]["rss"] = float(r.group(1))
            t = re.search(r"(\d+) threads", line)
            cases[current]["threads"] = int(t.group(1)) if t else None
    return cases, ("" if cases else "not available: no READY figures in todo-bench startup's output")


WRITE_METRICS = {  # figure: metric names tried in order (samples of every label set are summed)
    "turns": ("todod_chatkit_turns_total",),
    "appends": ("todod_store_appends_total",),
    "fdatasyncs": ("todod_store_fdatasync_seconds_count", "todod_store_batches_total"),
    "sync_seconds": ("todod_store_fdatasync_seconds_sum",),
}


def metric_sum(text_: str, name: str) -> float | None:
    """Sum of the samples of `name` in a Prometheus text exposition (None when absent)."""
    total, seen = 0.0, False
    for line in text_.splitlines():
        if line.startswith(name) and line[len(name):len(name) + 1] in (" ", "{"):
            try:
                total += float(line.rsplit(None, 1)[-1])
                seen = True
            except ValueError:
                pass
    return total if seen else None


def writes_per_turn(work: str, name: str, rounds: int) -> dict | None:
    """Store appends and fdatasyncs per turn over the rounds of one load, from todod's /metrics deltas."""
    totals = {k: 0.0 for k in WRITE_METRICS}
    found = False
    for r in range(1, rounds + 1):
        pre, post = text(work, f"metrics-{name}-{r}.pre.txt"), text(work, f"metrics-{name}-{r}.post.txt")
        if not pre or not post:
            continue
        for key, names in WRITE_METRICS.items():
            for m in names:
                # A counter todod has not touched yet is absent from /metrics, as before the first turn of a
                # run (round 1 of c16 'hello', the first load): absent before and present after counts from 0.
                a, b = metric_sum(pre, m), metric_sum(post, m)
                if b is not None:
                    totals[key] += b - (a or 0.0)
                    found = True
                    break
        if metric_sum(post, WRITE_METRICS["turns"][0]) is None:  # no turn counter: the load's own count
            res = load(work, f"{name}-{r}") or {}
            totals["turns"] += res.get("turns", 0) + res.get("warmup", 0)
    if not found or not totals["turns"]:
        return None
    mean_sync = totals["sync_seconds"] * 1000 / totals["fdatasyncs"] if totals["fdatasyncs"] else None
    return {"appends": totals["appends"] / totals["turns"], "fdatasyncs": totals["fdatasyncs"] / totals["turns"], "turns": totals["turns"],
            "fdatasync_mean_ms": mean_sync}


def verdict(ok: bool | None) -> str:
    return "?" if ok is None else ("met" if ok else "NOT met")


def fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def rounds_of(work: str, name: str, rounds: int) -> list[dict | None]:
    return [load(work, f"{name}-{r}") for r in range(1, rounds + 1)]


def paired(ours: list[float | None], peer: list[float | None]) -> dict:
    """Median of each side over the rounds and the median (and range) of the per-round ratios peer/ours."""
    o = [x for x in ours if x is not None]
    p = [x for x in peer if x is not None]
    ratios = sorted(b / a for a, b in zip(ours, peer) if a and b)
    return {"todod": statistics.median(o) if o else None, "peer": statistics.median(p) if p else None,
            "ratio": statistics.median(ratios) if ratios else None,
            "ratio_range": [round(ratios[0], 2), round(ratios[-1], 2)] if ratios else None,
            "todod_rounds": o, "peer_rounds": p}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--rounds", type=int, required=True)
    for name in ("todod", "llm", "ref", "seed", "router"):
        ap.add_argument(f"--{name}-pid", type=int, required=True)
    ap.add_argument("--json", default=None)
    ap.add_argument("--compare", default=None, help="a --json file of an earlier run")
    a = ap.parse_args()
    w, n = a.work, a.rounds
    before = {}
    if a.compare:
        try:
            before = json.load(open(a.compare))
        except (OSError, ValueError) as e:
            print(f"(--compare {a.compare}: {e})")
    rows: list[tuple] = []  # (key, label, todod, peer, ratio, goal, verdict)
    figures: dict = {}

    def ratio_row(key: str, label: str, fig: dict, peer_name: str, digits: int, goal: float, stretch: float | None = None):
        figures[key] = fig
        r = fig["ratio"]
        v = verdict(None if r is None else r >= goal)
        if stretch and r is not None and r >= goal:
            v += f", stretch {stretch:.0f}x {verdict(r >= stretch)}"
        span = f" ({fig['ratio_range'][0]:.1f}-{fig['ratio_range'][1]:.1f})" if fig["ratio_range"] and n > 1 else ""
        rows.append((key, label, fmt(fig["todod"], digits), f"{fmt(fig['peer'], digits)} {peer_name}", (fmt(r, 1) + "x" + span if r is not None else "n/a"), f">= {goal:.0f}x", v))

    # 1. CPU per turn at c16
    oc16, rc16 = rounds_of(w, "todod-c16", n), rounds_of(w, "ref-c16", n)
    ratio_row("cpu_per_turn_c16_ms", "server CPU per turn, c16 'hello' (ms)",
              paired([cpu_ms(x, a.todod_pid) for x in oc16], [cpu_ms(x, a.ref_pid) for x in rc16]), "reference", 3, 10)
    # 2. first SSE event p50 at c1
    oc1, rc1 = rounds_of(w, "todod-c1", n), rounds_of(w, "ref-c1", n)
    ratio_row("first_event_p50_c1_ms", "first SSE event p50, c1 'hello' (ms)",
              paired([p50(x, "first_event") for x in oc1], [p50(x, "first_event") for x in rc1]), "reference", 2, 10)
    orc1 = rounds_of(w, "router-c1", n)
    ratio_row("first_event_p50_c1_router_ms", "  the same, router + store only (echo responder)",
              paired([p50(x, "first_event") for x in orc1], [p50(x, "first_event") for x in rc1]), "reference", 2, 10)
    # 3. first text delta with one tool call
    otl, stl = rounds_of(w, "todod-tool", n), rounds_of(w, "seed-tool", n)
    ratio_row("first_delta_tool_p50_c1_ms", "first text delta p50, 1 tool call (ms)",
              paired([p50(x, "first_delta") for x in otl], [p50(x, "first_delta") for x in stl]), "seed, persist. MCP", 2, 5, 15)
    # 4. group commit
    store_text = text(w, "store.txt")
    gc, gc_source = group_commit(store_text)
    figures["group_commit_ratio_16"] = {"todod": None, "peer": None, "ratio": gc}
    rows.append(("group_commit_ratio_16", "group commit vs 1 fdatasync/write, 16 clients", "", "todo-bench store", fmt(gc, 1) + "x" if gc is not None else "n/a", ">= 10x",
                 verdict(None if gc is None else gc >= 10)))
    # 5. start to READY and idle RSS
    ready = load(w, "ready") or {}
    own, rss = ready.get("ready_ms", {}).get("p50"), ready.get("idle_rss_mb")
    figures["ready_empty_ms"] = {"todod": own, "peer": None, "ratio": None, "detail": ready}
    rows.append(("ready_empty_ms", "start to READY, empty store (ms)", fmt(own, 1), "perf_ready.py", "", "< 50 ms", verdict(None if own is None else own < 50)))
    figures["idle_rss_empty_mb"] = {"todod": rss, "peer": None, "ratio": None}
    rows.append(("idle_rss_empty_mb", "idle RSS, empty store (MB)", fmt(rss, 1), "perf_ready.py", "", "< 30 MB", verdict(None if rss is None else rss < 30)))
    cases, why = startup(w)
    for key, goal_ms in (("empty", 50.0), ("large", 500.0)):
        c = cases.get(key)
        if c:
            figures[f"startup_ready_{key}_ms"] = {"todod": c["p50"], "peer": None, "ratio": None, "detail": c}
            rows.append((f"startup_ready_{key}_ms", f"start to READY, {c['label']} (ms)", fmt(c["p50"], 1), "todo-bench startup", "",
                         f"< {goal_ms:.0f} ms", verdict(c["p50"] < goal_ms)))
            if c.get("rss") is not None:
                figures[f"startup_idle_rss_{key}_mb"] = {"todod": c["rss"], "peer": None, "ratio": None}
                # The issue sets the < 30 MB goal for the empty store only; with 100k tasks loaded it is a figure.
                goal, met = ("< 30 MB", verdict(c["rss"] < 30)) if key == "empty" else ("", "info")
                rows.append((f"startup_idle_rss_{key}_mb", f"idle RSS, {c['label']} (MB)", fmt(c["rss"], 1), "todo-bench startup", "",
                             goal, met))
        elif key == "large":
            figures["startup_ready_large_ms"] = {"todod": None, "peer": None, "ratio": None, "detail": why}
            rows.append(("startup_ready_large_ms", "start to READY, 100k tasks + 1000x100 items (ms)", why, "", "", f"< {goal_ms:.0f} ms", "?"))

    # durable writes per turn (informational; the target is the user's message + one write at the end)
    for name, label in (("todod-c1", "c1 'hello'"), ("todod-tool", "c1 'add buy milk'"), ("todod-c16", "c16 'hello'")):
        wpt = writes_per_turn(w, name, n)
        figures[f"writes_per_turn_{name}"] = wpt
        if wpt:
            rows.append((f"writes_per_turn_{name}", f"store appends / fdatasyncs per turn, {label}", f"{wpt['appends']:.2f}",
                         f"{wpt['fdatasyncs']:.2f} fdatasyncs (/metrics)", "", "", "info"))
    # The first SSE event waits for the new thread and its message to be durable (one fdatasync); the
    # reference server keeps its threads in memory and makes none.
    c1 = figures.get("writes_per_turn_todod-c1")
    if c1 and c1.get("fdatasync_mean_ms") is not None:
        rows.append(("fdatasync_mean_c1_ms", "fdatasync mean in c1 'hello' turns (ms)", fmt(c1["fdatasync_mean_ms"], 3),
                     "/metrics; reference: none", "", "", "info"))
    if not figures.get("writes_per_turn_todod-c1"):
        rows.append(("writes_per_turn", "store appends / fdatasyncs per turn", "not available: this todod serves no /metrics", "", "", "", ""))

    widths = [49, 9, 27, 18, 9, 9]
    print(f"=== issue 11: what it must show ({n} round{'s' if n > 1 else ''}; ratio: median of the per-round ratios (range)) ===")
    head = ("figure", "todod", "peer / source", "ratio", "goal", "", "before (todod, ratio)" if before else "")
    print("".join(h.ljust(wd) for h, wd in zip(head, widths + [0])).rstrip())
    for key, *cols in rows:
        if cols[1].startswith("not available"):
            print(cols[0].ljust(widths[0]) + cols[1] + (f" (goal {cols[4]})" if cols[4] else ""))
            continue
        was = ""
        if before.get(key):
            b = before[key] if isinstance(before[key], dict) else {"ratio": before[key]}
            if b.get("appends") is not None:  # a writes-per-turn row: appends / fdatasyncs per turn
                was = f"{b['appends']:.2f} / {b['fdatasyncs']:.2f}"
            else:
                was = ", ".join(x for x in (fmt(b.get("todod")) if b.get("todod") is not None else "",
                                            (fmt(b.get("ratio"), 1) + "x") if b.get("ratio") is not None else "") if x) or "n/a"
        print(("".join(str(c).ljust(wd) for c, wd in zip(cols, widths)) + was).rstrip())

    print("\n--- details ---")
    print("CPU per turn (ms, server process only; todod's agent calls fake_llm.py, whose CPU is listed apart):")
    for r, (o, f) in enumerate(zip(oc16, rc16), 1):
        if o and f:
            print(f"  round {r}: todod {fmt(cpu_ms(o, a.todod_pid), 3)} ({o['turns_per_s']} turns/s, fake model {fmt(cpu_ms(o, a.llm_pid), 3)} ms/turn, "
                  f"load driver {o['client_cpu_ms_per_turn']} ms/turn{'; ' + problems(o) if problems(o) else ''}); "
                  f"reference {fmt(cpu_ms(f, a.ref_pid), 3)} ({f['turns_per_s']} turns/s{'; ' + problems(f) if problems(f) else ''})")
        else:
            print(f"  round {r}: no result")
    for name, runs in (("todod c1 'hello'", oc1), ("reference c1 'hello'", rc1), ("router only c1 'hello'", orc1), ("todod c1 'add buy milk'", otl),
                       ("seed persistent MCP c1 'add buy milk'", stl)):
        for r, res in enumerate(runs, 1):
            if res:
                lat = res["latency_ms"]
                print(f"  {name}, round {r}: {res['turns_ok']} ok, first event p50 {lat['first_event'].get('p50')} p99 {lat['first_event'].get('p99')} ms, "
                      f"first delta p50 {lat['first_delta'].get('p50')} p99 {lat['first_delta'].get('p99')} ms, end p50 {lat['end'].get('p50')} ms, "
                      f"{res['turns_per_s']} turns/s{'; ' + problems(res) if problems(res) else ''}")
            else:
                print(f"  {name}, round {r}: no result")
    after = text(w, "todod-after-load.txt").split()
    if ready:
        print(f"  perf_ready.py: {ready.get('starts')} starts, READY p50 {ready['ready_ms']['p50']} ms "
              f"[{ready['ready_ms']['min']}-{ready['ready_ms']['max']}], idle RSS {rss} MB, {ready.get('idle_threads')} threads after 2 s"
              + (f"; the load todod after all turns: {' '.join(after)} (VmRSS kB)" if after else ""))
    print(f"  group commit: {gc_source}")
    print("--- todo-bench store ---\n" + store_text.rstrip())
    print("--- todo-bench startup ---\n" + (text(w, "startup.txt").rstrip() or why))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(figures, f, indent=1)
        print(f"(figures written to {a.json})")


if __name__ == "__main__":
    main()
