#!/usr/bin/env bash
# Issue 11 in one run: every figure of "What it must show", against the peers in ../shared, with its goal
# and met / NOT met printed next to it (figures only; nothing here is a timed assertion).
#   1. server CPU per ChatKit turn at concurrency 16, message "hello": the real todod (agent in front of
#      ../shared/peers/fake_llm.py) vs the openai-chatkit reference (../shared/chatkit/reference_server.py
#      --delay 0, scripted, no model); CPU of the server process alone (chatkit_load.py --watch-pids),
#      ratio reference/todod (goal >= 10x)
#   2. first SSE event p50 at concurrency 1 ("hello"), same two servers (goal >= 10x); also todod's router and
#      store without the agent (`todo-bench chatkit-server`, the scripted echo responder, as chatkit_bench.sh)
#   3. first text delta p50 with one tool call ("add buy milk", c1): todod vs the seed peer (the original
#      design) with a persistent MCP subprocess (goal >= 5x, stretch 15x)
#   4. group commit vs one fdatasync per write at 16 clients (`todo-bench store`; goal >= 10x)
#   5. start to READY=1 with an empty store (this script, NOTIFY_SOCKET; goal < 50 ms) and idle RSS (goal
#      < 30 MB); empty and large (100,000 tasks + 1,000 threads x 100 items; goal < 500 ms) from
#      `todo-bench startup` when the binary has that subcommand ("not available" otherwise)
#   and, when todod serves GET /metrics, its store appends and fdatasyncs per turn (from the counters' deltas)
# Figures 1-3 run in --rounds rounds (todod and its peer back to back in each); each side's figure is the
# median over the rounds and the ratio the median of the per-round ratios (the shared cores are noisy).
#
# Usage: Tests/Bench/perf_bench.sh [--quick] [--rounds N] [--json FILE] [--compare FILE] [--with-legacy]
#   --quick        fewer turns and rounds (a smoke run of the script itself; figures are noisier)
#   --json FILE    also write every figure as JSON (for comparing a BEFORE and an AFTER run)
#   --compare FILE a --json file of an earlier run: its figures are printed next to this run's
#   --with-legacy  afterwards also run chatkit_bench.sh (router-only server) and agent_bench.sh (seed peer
#                  with an MCP subprocess per request)
# Env: BIN_DIR (default .build/release: todod, todoctl, todo-bench), PEERS_VENV (default /work/venvs/bench/peers;
#      made with python3 -m venv DIR && DIR/bin/pip install -r ../shared/peers/requirements.txt
#      -r ../shared/chatkit/requirements.txt), SHARED (default ../shared).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/Tests/Bench"
SHARED=${SHARED:-$ROOT/../shared}
PEERS_VENV=${PEERS_VENV:-/work/venvs/bench/peers}
PY=$PEERS_VENV/bin/python
BIN_DIR=${BIN_DIR:-$ROOT/.build/release}
QUICK=0; ROUNDS=3; JSON_OUT=""; COMPARE=""; LEGACY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=1; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --json) JSON_OUT="$2"; shift 2 ;;
    --compare) COMPARE="$2"; shift 2 ;;
    --with-legacy) LEGACY=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" = 1 ]; then C16_TURNS=200; C1_TURNS=50; SEED_TURNS=20; STARTS=3; else C16_TURNS=1000; C1_TURNS=200; SEED_TURNS=60; STARTS=7; fi

for f in "$PY" "$BIN_DIR/todod" "$BIN_DIR/todoctl" "$BIN_DIR/todo-bench"; do
  [ -x "$f" ] || { echo "perf_bench: missing $f (swift build -c release; peers venv: see the header)" >&2; exit 1; }
done
for f in chatkit/reference_server.py peers/fake_llm.py peers/chatkit_load.py peers/seed_peer/app.py; do
  [ -f "$SHARED/$f" ] || { echo "perf_bench: missing $SHARED/$f" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/todod-perf-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
on_exit() { rc=$?; cleanup; [ "$rc" = 0 ] || echo "perf_bench: failed (exit $rc); logs and raw results kept in $WORK" >&2; }
trap on_exit EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url pid log
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "perf_bench: nothing answered at $1" >&2; tail -20 "$3" >&2; return 1; }
load() { # out url token concurrency turns message watch-pids
  "$PY" "$SHARED/peers/chatkit_load.py" --url "$2" --token "$3" --concurrency "$4" --turns "$5" --warmup 20 \
    --message "$6" --watch-pids "$7" --out "$WORK/$1.json" > "$WORK/$1.out" 2>&1 ||
    echo "perf_bench: the load driver failed for $1 (that figure prints n/a): $(tail -1 "$WORK/$1.out")" >&2
}
scrape() { # name: todod's GET /metrics (when this build has it) before/after a load, for writes per turn
  curl -s -f -o "$WORK/metrics-$1.txt" "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null || rm -f "$WORK/metrics-$1.txt"
}
load_todod() { scrape "$1.pre"; load "$@"; scrape "$1.post"; }
step() { echo "[$(date -u +%H:%M:%S)] $*"; }

echo "perf_bench: binaries $BIN_DIR, peers $SHARED, python $PY, work $WORK"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
git -C "$ROOT" log -1 --format='commit: %h %s' 2>/dev/null | cut -c1-110 || true

# --- 5a. start to READY (empty store) and idle RSS, on a quiet machine (before anything else runs) ---
step "start to READY, empty store, $STARTS starts"
"$PY" "$HERE/perf_ready.py" --todod "$BIN_DIR/todod" --work "$WORK" --starts "$STARTS" > "$WORK/ready.json"

# --- servers: fake model, reference, todod, seed peer (all up at once; idle ones cost nothing) ---
LLM_PORT=$(free_port)
"$PY" "$SHARED/peers/fake_llm.py" --port "$LLM_PORT" > "$WORK/fake_llm.log" 2>&1 & PIDS+=($!); LLM_PID=$!
wait_http "http://127.0.0.1:$LLM_PORT/v1/models" "$LLM_PID" "$WORK/fake_llm.log"
REF_PORT=$(free_port)
"$PY" "$SHARED/chatkit/reference_server.py" --port "$REF_PORT" --token bench-token --delay 0 > "$WORK/ref.log" 2>&1 & PIDS+=($!); REF_PID=$!
SEED_PORT=$(free_port)
"$PY" "$SHARED/peers/seed_peer/app.py" --port "$SEED_PORT" --token bench-token --db "$WORK/seed.db" \
  --llm-base-url "http://127.0.0.1:$LLM_PORT/v1" --mcp-persistent > "$WORK/seed.log" 2>&1 & PIDS+=($!); SEED_PID=$!
HTTP_PORT=$(free_port)
# Titles written by the model (one more model call per new thread) are off unless PERF_TITLES=on: the peers make
# no such call, and every benchmark turn opens a new thread, so with them on a turn would be two model calls.
env -u TODOD_DATABASE_URL -u DATABASE_URL TODOD_LLM_BASE_URL="http://127.0.0.1:$LLM_PORT/v1" TODOD_LLM_MODEL=fake-model \
  TODOD_LLM_TITLES="${PERF_TITLES:-off}" \
  "$BIN_DIR/todod" --data-dir "$WORK/data" --control-socket "$WORK/ctl.sock" --http "127.0.0.1:$HTTP_PORT" \
  --chat-rate-limit 0 --max-streams-per-user 64 --log-level warning > "$WORK/todod.log" 2>&1 & PIDS+=($!); TODOD_PID=$!
ROUTER_PORT=$(free_port)
"$BIN_DIR/todo-bench" chatkit-server --port "$ROUTER_PORT" --dir "$WORK/router" > "$WORK/router.log" 2>&1 & PIDS+=($!); ROUTER_PID=$!
wait_http "http://127.0.0.1:$HTTP_PORT/healthz" "$TODOD_PID" "$WORK/todod.log"
wait_http "http://127.0.0.1:$ROUTER_PORT/" "$ROUTER_PID" "$WORK/router.log"
[ -f "$WORK/router/token" ] || { echo "perf_bench: todo-bench chatkit-server wrote no token" >&2; exit 1; }
wait_http "http://127.0.0.1:$REF_PORT/" "$REF_PID" "$WORK/ref.log"
wait_http "http://127.0.0.1:$SEED_PORT/" "$SEED_PID" "$WORK/seed.log"
TOKEN=$("$BIN_DIR/todoctl" token --socket "$WORK/ctl.sock")
OURS="http://127.0.0.1:$HTTP_PORT/api/chatkit"; REF="http://127.0.0.1:$REF_PORT/chatkit"; SEED="http://127.0.0.1:$SEED_PORT/api/chatkit"

# --- 1-3. rounds; within a round todod and its peer run back to back, so both see the same background load ---
for r in $(seq 1 "$ROUNDS"); do
  step "round $r/$ROUNDS: CPU per turn, c16 'hello' ($C16_TURNS turns per side)"
  load "ref-c16-$r" "$REF" bench-token 16 "$C16_TURNS" hello "$REF_PID"
  load_todod "todod-c16-$r" "$OURS" "$TOKEN" 16 "$C16_TURNS" hello "$TODOD_PID,$LLM_PID"
  step "round $r/$ROUNDS: first SSE event, c1 'hello' ($C1_TURNS turns per side)"
  load "ref-c1-$r" "$REF" bench-token 1 "$C1_TURNS" hello "$REF_PID"
  load_todod "todod-c1-$r" "$OURS" "$TOKEN" 1 "$C1_TURNS" hello "$TODOD_PID,$LLM_PID"
  load "router-c1-$r" "http://127.0.0.1:$ROUTER_PORT/api/chatkit" "$(cat "$WORK/router/token")" 1 "$C1_TURNS" hello "$ROUTER_PID"
  step "round $r/$ROUNDS: first text delta, c1 'add buy milk' (todod $C1_TURNS turns, seed peer $SEED_TURNS)"
  load_todod "todod-tool-$r" "$OURS" "$TOKEN" 1 "$C1_TURNS" "add buy milk" "$TODOD_PID,$LLM_PID"
  load "seed-tool-$r" "$SEED" bench-token 1 "$SEED_TURNS" "add buy milk" "$SEED_PID"
done
awk '/^(VmRSS|Threads):/ {print $1, $2}' "/proc/$TODOD_PID/status" > "$WORK/todod-after-load.txt" || true
cleanup; PIDS=()

# --- 4. group commit ---
step "todo-bench store"
QFLAG=(); [ "$QUICK" = 1 ] && QFLAG=(--quick)
"$BIN_DIR/todo-bench" store "${QFLAG[@]}" --dir "$WORK/store-bench" > "$WORK/store.txt" 2>&1 || echo "exit $?" >> "$WORK/store.txt"
# --- 5b. start to READY empty and large (the startup subcommand, when this binary has it) ---
step "todo-bench startup"
set +e
"$BIN_DIR/todo-bench" startup "${QFLAG[@]}" --dir "$WORK/startup-bench" > "$WORK/startup.txt" 2> "$WORK/startup.err"
echo $? > "$WORK/startup.rc"
set -e

echo
echo "load average at the end of the measurements: $(cut -d" " -f1-3 /proc/loadavg) (other processes share the 2 cores: figures are noisy)"
"$PY" "$HERE/perf_report.py" --work "$WORK" --rounds "$ROUNDS" --todod-pid "$TODOD_PID" --llm-pid "$LLM_PID" \
  --ref-pid "$REF_PID" --seed-pid "$SEED_PID" --router-pid "$ROUTER_PID" ${JSON_OUT:+--json "$JSON_OUT"} ${COMPARE:+--compare "$COMPARE"}

if [ "$LEGACY" = 1 ]; then
  echo; step "Tests/Bench/chatkit_bench.sh (router-only server vs reference, 'add buy milk')"
  TODO_BENCH_BIN="$BIN_DIR/todo-bench" "$HERE/chatkit_bench.sh" --python "$PY" --shared "$SHARED" || echo "chatkit_bench.sh failed: $?"
  echo; step "Tests/Bench/agent_bench.sh (seed peer with an MCP subprocess per request too)"
  TODOD_BIN="$BIN_DIR/todod" TODOCTL_BIN="$BIN_DIR/todoctl" PEERS_VENV="$PEERS_VENV" PEERS_DIR="$SHARED/peers" \
    "$HERE/agent_bench.sh" || echo "agent_bench.sh failed: $?"
fi
rm -rf "$WORK"
