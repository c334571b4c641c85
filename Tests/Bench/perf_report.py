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


def verdict(ok: bool | None) -> str:
    return "?" if ok is None else ("met" if ok else "NOT met")


def fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--rounds", type=int, required=True)
    for name in ("todod", "llm", "ref", "seed"):
        ap.add_argument(f"--{name}-pid", type=int, required=True)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    w = a.work
    rows: list[tuple[str, str, str, str, str, str]] = []
    figures: dict = {}

    # 1. CPU per turn at c16 (median over rounds of each side)
    ours_rounds = [load(w, f"todod-c16-{r}") for r in range(1, a.rounds + 1)]
    ref_rounds = [load(w, f"ref-c16-{r}") for r in range(1, a.rounds + 1)]
    ours_cpu = [c for c in (cpu_ms(x, a.todod_pid) for x in ours_rounds) if c is not None]
    ref_cpu = [c for c in (cpu_ms(x, a.ref_pid) for x in ref_rounds) if c is not None]
    oc = statistics.median(ours_cpu) if ours_cpu else None
    rc = statistics.median(ref_cpu) if ref_cpu else None
    ratio = rc / oc if oc and rc else None
    rows.append(("server CPU per turn, c16 'hello' (ms)", fmt(oc, 3), f"{fmt(rc, 3)} reference", fmt(ratio, 1) + "x", ">= 10x", verdict(None if ratio is None else ratio >= 10)))
    figures["cpu_per_turn_c16_ms"] = {"todod": oc, "reference": rc, "ratio": ratio, "todod_rounds": ours_cpu, "reference_rounds": ref_cpu}

    # 2. first SSE event p50 at c1
    o1, r1 = load(w, "todod-c1"), load(w, "ref-c1")
    oe, re_ = p50(o1, "first_event"), p50(r1, "first_event")
    ratio = re_ / oe if oe and re_ else None
    rows.append(("first SSE event p50, c1 'hello' (ms)", fmt(oe), f"{fmt(re_)} reference", fmt(ratio, 1) + "x", ">= 10x", verdict(None if ratio is None else ratio >= 10)))
    figures["first_event_p50_c1_ms"] = {"todod": oe, "reference": re_, "ratio": ratio}

    # 3. first text delta with one tool call
    ot, st = load(w, "todod-tool"), load(w, "seed-tool")
    od, sd = p50(ot, "first_delta"), p50(st, "first_delta")
    ratio = sd / od if od and sd else None
    goal = verdict(None if ratio is None else ratio >= 5) + ("" if ratio is None or ratio < 5 else f", stretch 15x {verdict(ratio >= 15)}")
    rows.append(("first text delta p50, 1 tool call (ms)", fmt(od), f"{fmt(sd)} seed, persistent MCP", fmt(ratio, 1) + "x", ">= 5x", goal))
    figures["first_delta_tool_p50_c1_ms"] = {"todod": od, "seed_persistent_mcp": sd, "ratio": ratio}

    # 4. group commit
    store_text = text(w, "store.txt")
    gc, gc_source = group_commit(store_text)
    rows.append(("group commit vs 1 fdatasync/write, 16 cl.", "", "todo-bench store", fmt(gc, 1) + "x", ">= 10x", verdict(None if gc is None else gc >= 10)))
    figures["group_commit_ratio_16"] = gc

    # 5. start to READY and idle RSS
    ready = load(w, "ready") or {}
    cases, why = startup(w)
    own = ready.get("ready_ms", {}).get("p50")
    rows.append(("start to READY, empty store (ms)", fmt(own, 1), "perf_ready.py", "", "< 50 ms", verdict(None if own is None else own < 50)))
    rss = ready.get("idle_rss_mb")
    rows.append(("idle RSS, empty store (MB)", fmt(rss, 1), "perf_ready.py", "", "< 30 MB", verdict(None if rss is None else rss < 30)))
    for key, goal_ms in (("empty", 50.0), ("large", 500.0)):
        c = cases.get(key)
        label = f"start to READY, {c['label'] if c else ('100k tasks + 1000x100 items' if key == 'large' else 'empty store')} (ms)"
        if c:
            rows.append((label, fmt(c["p50"], 1), "todo-bench startup", "", f"< {goal_ms:.0f} ms", verdict(c["p50"] < goal_ms)))
            if c.get("rss") is not None:
                rows.append((f"idle RSS, {c['label']} (MB)", fmt(c["rss"], 1), "todo-bench startup", "", "< 30 MB", verdict(c["rss"] < 30)))
        elif key == "large":
            rows.append((label, why, "", "", f"< {goal_ms:.0f} ms", "?"))
    figures["ready"] = {"perf_ready": ready, "todo_bench_startup": cases or why}

    widths = [52, 10, 28, 8, 9]
    head = ("figure", "todod", "peer / source", "ratio", "goal", "")
    print("=== issue 11: what it must show ===")
    print("".join(h.ljust(wd) for h, wd in zip(head, widths + [0])))
    for row in rows:
        if row[1].startswith("not available"):
            print(row[0].ljust(widths[0]) + row[1] + f" (goal {row[4]})")
            continue
        print("".join(str(c).ljust(wd) for c, wd in zip(row, widths + [0])))

    print("\n--- details ---")
    print("CPU per turn (ms, server process only; todod's agent calls fake_llm.py, whose CPU is listed apart):")
    for r, (o, f) in enumerate(zip(ours_rounds, ref_rounds), 1):
        if o and f:
            print(f"  round {r}: todod {fmt(cpu_ms(o, a.todod_pid), 3)} ({o['turns_per_s']} turns/s, fake model {fmt(cpu_ms(o, a.llm_pid), 3)} ms/turn, "
                  f"load driver {o['client_cpu_ms_per_turn']} ms/turn{'; ' + problems(o) if problems(o) else ''}); "
                  f"reference {fmt(cpu_ms(f, a.ref_pid), 3)} ({f['turns_per_s']} turns/s{'; ' + problems(f) if problems(f) else ''})")
    for name, res in (("todod c1 'hello'", o1), ("reference c1 'hello'", r1), ("todod c1 'add buy milk'", ot), ("seed persistent MCP c1 'add buy milk'", st)):
        if res:
            lat = res["latency_ms"]
            print(f"  {name}: {res['turns_ok']} ok, first event p50 {lat['first_event'].get('p50')} p99 {lat['first_event'].get('p99')} ms, "
                  f"first delta p50 {lat['first_delta'].get('p50')} p99 {lat['first_delta'].get('p99')} ms, end p50 {lat['end'].get('p50')} ms, "
                  f"{res['turns_per_s']} turns/s{'; ' + problems(res) if problems(res) else ''}")
        else:
            print(f"  {name}: no result")
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
