#!/usr/bin/env bash
# ChatKit benchmark: todod vs the openai-chatkit reference server (../shared/chatkit/reference_server.py),
# same scripted conversation ("add buy milk": a workflow task + a streamed reply + a title, one new thread
# per turn), same load driver (../shared/peers/chatkit_load.py), concurrency 1 and 16.
# Prints p50/p99 time to first SSE event, turns/s, and todod/reference ratios.
#
# Usage: Tests/Bench/chatkit_bench.sh [--turns N] [--shared DIR] [--python PY]
#   Our side is `todo-bench chatkit-server` (the real router + durable store with the deterministic echo
#   responder from test support, the same script as the reference; the shipped todod has no such switch).
#   TODO_BENCH_BIN picks the binary (default .build/release/todo-bench, else .build/debug/todo-bench).
set -euo pipefail

TURNS=300
SHARED="$(cd "$(dirname "$0")/../.." && pwd)/../shared"
PY="${PYTHON:-/work/.venv-chatkit/bin/python}"
while [ $# -gt 0 ]; do
  case "$1" in
    --turns) TURNS="$2"; shift 2 ;;
    --shared) SHARED="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -f "$SHARED/chatkit/reference_server.py" ] || { echo "chatkit_bench: no $SHARED/chatkit (the reference server is needed)" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="${TODO_BENCH_BIN:-$ROOT/.build/release/todo-bench}"
[ -x "$BENCH" ] || BENCH="$ROOT/.build/debug/todo-bench"
[ -x "$BENCH" ] || { echo "chatkit_bench: build todo-bench first (swift build -c release --product todo-bench)" >&2; exit 1; }
WORK="$(mktemp -d /tmp/todod-http-bench.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; return 1; }

# --- the reference (Python, in-memory store, no delay) ---
REF_PORT=$(free_port)
"$PY" "$SHARED/chatkit/reference_server.py" --port "$REF_PORT" --token bench-token --delay 0 > "$WORK/ref.log" 2>&1 &
REF_PID=$!; PIDS+=("$REF_PID")

# --- todod's router (durable JSON-lines store), served by todo-bench ---
OUR_PORT=$(free_port)
"$BENCH" chatkit-server --port "$OUR_PORT" --dir "$WORK/ours" > "$WORK/ours.log" 2>&1 &
OUR_PID=$!; PIDS+=("$OUR_PID")
for _ in $(seq 1 600); do [ -f "$WORK/ours/ready" ] && break; kill -0 "$OUR_PID" 2>/dev/null || break; sleep 0.1; done
[ -f "$WORK/ours/ready" ] || { echo "bench server did not start"; cat "$WORK/ours.log"; exit 1; }
TOKEN=$(cat "$WORK/ours/token")
OURS="todod router + store ($BENCH chatkit-server)"
wait_http "$REF_PORT"

run() { # name url token concurrency pid
  "$PY" "$SHARED/peers/chatkit_load.py" --url "$2" --token "$3" --concurrency "$4" --turns "$TURNS" --warmup 20 \
    --message "add buy milk" --watch-pids "$5" --out "$WORK/$1-c$4.json" > /dev/null
}
for C in 1 16; do
  run ref "http://127.0.0.1:$REF_PORT/chatkit" bench-token "$C" "$REF_PID"
  run ours "http://127.0.0.1:$OUR_PORT/api/chatkit" "$TOKEN" "$C" "$OUR_PID"
done

"$PY" - "$WORK" "$OURS" <<'PYEOF'
import json, sys
work, ours = sys.argv[1], sys.argv[2]
print(f"ours: {ours}; reference: openai-chatkit reference_server.py --delay 0 (uvicorn, in-memory store)")
print(f"{'side':<6}{'conc':>5}{'ok':>6}{'fail':>5}{'p50 first event ms':>20}{'p99 first event ms':>20}{'turns/s':>10}{'srv cpu ms/turn':>17}")
rows = {}
for c in (1, 16):
    for side in ("ref", "ours"):
        r = json.load(open(f"{work}/{side}-c{c}.json"))
        fe = r["latency_ms"]["first_event"]
        cpu = next(iter(r["watched_cpu_ms_per_turn"].values()), None)
        rows[(side, c)] = (fe.get("p50"), fe.get("p99"), r["turns_per_s"])
        print(f"{side:<6}{c:>5}{r['turns_ok']:>6}{r['failures']:>5}{fe.get('p50'):>20}{fe.get('p99'):>20}{r['turns_per_s']:>10}{str(cpu):>17}")
for c in (1, 16):
    (rp50, rp99, rtps), (op50, op99, otps) = rows[("ref", c)], rows[("ours", c)]
    print(f"ratio c={c}: p50 first event {rp50/op50:.1f}x faster, p99 {rp99/op99:.1f}x faster, turns/s {otps/rtps:.1f}x")
PYEOF
