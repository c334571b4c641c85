#!/usr/bin/env bash
# Agent benchmark: one ChatKit turn with one tool call ("add buy milk" -> add_task -> "Done: ...")
# against shared/peers/fake_llm.py (no delay), same load driver (chatkit_load.py) for all servers:
#   todod (in-process MCP tools)  vs  the seed peer (Agents SDK + MCP stdio), per-request spawn and --mcp-persistent.
# Prints first-text-delta p50/p90 and turns/s for each, then the ratios.
#
# Usage: Tests/Bench/agent_bench.sh            (from the repo root, after `swift build -c release`)
# Env:   TODOD_BIN / TODOCTL_BIN (default .build/release/...), PEERS_VENV (default /work/.venv-peers,
#        made with: python3 -m venv $PEERS_VENV && $PEERS_VENV/bin/pip install -r ../shared/peers/requirements.txt),
#        PEERS_DIR (default ../shared/peers), TURNS_TODOD (300), TURNS_PERSISTENT (100), TURNS_SPAWN (20), CONCURRENCY (1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/peers}
PEERS_VENV=${PEERS_VENV:-/work/.venv-peers}
PY=$PEERS_VENV/bin/python
TODOD=${TODOD_BIN:-$ROOT/.build/release/todod}
TODOCTL=${TODOCTL_BIN:-$ROOT/.build/release/todoctl}
C=${CONCURRENCY:-1}
MSG='add buy milk'
TMP=$(mktemp -d /tmp/todod-agent-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url: wait until something answers (any status)
  for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "nothing answered at $1" >&2; return 1; }
load() { # name url token turns
  "$PY" "$PEERS_DIR/chatkit_load.py" --url "$2" --token "$3" --concurrency "$C" --turns "$4" --warmup 3 \
      --message "$MSG" --out "$TMP/$1.json" > /dev/null
  "$PY" - "$TMP/$1.json" "$1" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1])); fd = r["latency_ms"]["first_delta"]
print(f'{sys.argv[2]:<16} turns_ok={r["turns_ok"]:<4} failures={r["failures"]:<3} first_delta p50={fd.get("p50")} ms p90={fd.get("p90")} ms  turns/s={r["turns_per_s"]}')
if r["turns_ok"] == 0 or r["turns_without_delta"]: print("  WARNING:", r["failure_samples"], "turns_without_delta:", r["turns_without_delta"])
PYEOF
}

for f in "$PY"; do [ -x "$f" ] || { echo "missing $f" >&2; exit 1; }; done

# Fake model
LLM_PORT=$(free_port)
"$PY" "$PEERS_DIR/fake_llm.py" --port "$LLM_PORT" > "$TMP/fake_llm.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$LLM_PORT/v1/models"

# todod with the agent pointed at the fake model (loopback: no key needed). Without a todod binary, the
# same router + agent + durable store served by `todo-bench agent-server` (TODO_BENCH_BIN, default next to TODOD).
HTTP_PORT=$(free_port)
if [ -x "$TODOD" ]; then
  TODOD_LLM_BASE_URL="http://127.0.0.1:$LLM_PORT/v1" TODOD_LLM_MODEL=fake-model \
    "$TODOD" --data-dir "$TMP/data" --control-socket "$TMP/ctl.sock" --http "127.0.0.1:$HTTP_PORT" \
    --chat-rate-limit 0 --log-level warning > "$TMP/todod.log" 2>&1 & PIDS+=($!)
  wait_http "http://127.0.0.1:$HTTP_PORT/" || { cat "$TMP/todod.log" >&2; exit 1; }
  TOKEN=$("$TODOCTL" token --socket "$TMP/ctl.sock"); OURS="todod ($TODOD)"
else
  BENCH=${TODO_BENCH_BIN:-$(dirname "$TODOD")/todo-bench}
  [ -x "$BENCH" ] || { echo "agent_bench: neither $TODOD nor $BENCH is built (swift build -c release)" >&2; exit 1; }
  "$BENCH" agent-server --port "$HTTP_PORT" --dir "$TMP/bench" --llm "http://127.0.0.1:$LLM_PORT/v1" > "$TMP/bench.log" 2>&1 & PIDS+=($!)
  wait_http "http://127.0.0.1:$HTTP_PORT/" || { cat "$TMP/bench.log" >&2; exit 1; }
  TOKEN=$(cat "$TMP/bench/token"); OURS="router + agent ($BENCH agent-server)"
fi
load todod "http://127.0.0.1:$HTTP_PORT/api/chatkit" "$TOKEN" "${TURNS_TODOD:-300}"
kill "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'

# Seed peer, persistent MCP subprocess (its best case)
SEED_PORT=$(free_port)
"$PY" "$PEERS_DIR/seed_peer/app.py" --port "$SEED_PORT" --token bench-token --db "$TMP/seed-p.db" \
  --llm-base-url "http://127.0.0.1:$LLM_PORT/v1" --mcp-persistent > "$TMP/seed-p.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$SEED_PORT/"
load seed_persistent "http://127.0.0.1:$SEED_PORT/api/chatkit" bench-token "${TURNS_PERSISTENT:-100}"
kill "${PIDS[-1]}"; unset 'PIDS[-1]'

# Seed peer as designed: an MCP subprocess per request
SEED_PORT=$(free_port)
"$PY" "$PEERS_DIR/seed_peer/app.py" --port "$SEED_PORT" --token bench-token --db "$TMP/seed-s.db" \
  --llm-base-url "http://127.0.0.1:$LLM_PORT/v1" > "$TMP/seed-s.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$SEED_PORT/"
load seed_spawn "http://127.0.0.1:$SEED_PORT/api/chatkit" bench-token "${TURNS_SPAWN:-20}"

"$PY" - "$TMP" <<'PYEOF'
import json, sys
d = sys.argv[1]
r = {n: json.load(open(f"{d}/{n}.json")) for n in ("todod", "seed_persistent", "seed_spawn")}
p50 = {n: v["latency_ms"]["first_delta"].get("p50") for n, v in r.items()}
tps = {n: v["turns_per_s"] for n, v in r.items()}
print()
for peer, goal in (("seed_spawn", 20), ("seed_persistent", 5)):
    if p50["todod"] and p50[peer]:
        ratio = p50[peer] / p50["todod"]
        print(f"first delta: {peer} / todod = {ratio:.1f}x (goal >= {goal}x: {'met' if ratio >= goal else 'NOT met'});"
              f"  turns/s: todod / {peer} = {tps['todod'] / tps[peer]:.1f}x")
PYEOF
echo "todod side: $OURS; raw results and logs: $TMP"
