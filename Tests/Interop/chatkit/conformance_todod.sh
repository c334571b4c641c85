#!/usr/bin/env bash
# Runs ../shared/chatkit/conformance.py --strict against a real todod on the production path: the real agent
# (TODOD_LLM_BASE_URL) in front of Tests/Browser/scripted_llm.py, a scripted OpenAI-compatible model server on
# loopback. Nothing in todod is replaced.
# Usage: Tests/Interop/chatkit/conformance_todod.sh [TODOD_BIN [TODOCTL_BIN]]
# Needs: python with openai-chatkit + httpx (PYTHON, default /work/.venv-chatkit/bin/python).
# Exits with conformance.py's status; 1 when the checker, the binaries or a server are missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
PY="${PYTHON:-/work/.venv-chatkit/bin/python}"
TODOD="${1:-$ROOT/.build/debug/todod}"
TODOCTL="${2:-$(dirname "$TODOD")/todoctl}"
fail() { echo "conformance: $*" >&2; exit 1; }
[ -f "$SHARED/chatkit/conformance.py" ] || fail "no checker at $SHARED/chatkit/conformance.py"
[ -x "$PY" ] || fail "no python at $PY"
[ -x "$TODOD" ] && [ -x "$TODOCTL" ] || fail "build todod and todoctl first ($TODOD, $TODOCTL)"
WORK="$(mktemp -d /tmp/todod-conformance.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
# wait_for WHAT PID CMD...: polls CMD every 0.1 s for up to 30 s while PID lives.
wait_for() {
    local what="$1" pid="$2"; shift 2
    for _ in $(seq 1 300); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || fail "$what exited early"
        sleep 0.1
    done
    fail "$what not ready after 30 s"
}

# The scripted model (prints "listening on PORT").
"$PY" -u "$ROOT/Tests/Browser/scripted_llm.py" --port 0 > "$WORK/llm.log" 2>&1 &
LLM_PID=$!; PIDS+=("$LLM_PID")
wait_for "scripted model server" "$LLM_PID" grep -q "^listening on" "$WORK/llm.log"
LLM_PORT=$(sed -n 's/^listening on //p' "$WORK/llm.log")

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TODOD_LLM_BASE_URL="http://127.0.0.1:$LLM_PORT/v1" TODOD_LLM_MODEL=scripted \
  "$TODOD" --data-dir "$WORK/data" --control-socket "$WORK/ctl.sock" \
  --http "127.0.0.1:$PORT" --chat-rate-limit 0 > "$WORK/todod.log" 2>&1 &
PID=$!; PIDS+=("$PID")
wait_for "todod" "$PID" curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"
TOKEN=$("$TODOCTL" token --socket "$WORK/ctl.sock")
status=0
"$PY" "$SHARED/chatkit/conformance.py" --url "http://127.0.0.1:$PORT/api/chatkit" --token "$TOKEN" --strict || status=$?
# The run must have gone through the agent and the model server, not around them.
TASKS=$("$TODOCTL" list --socket "$WORK/ctl.sock" 2>&1 || true)
if ! grep -q "conformance check" <<<"$TASKS"; then
    echo "conformance: the agent did not add the task \"conformance check\" through the model's tool call:" >&2
    echo "$TASKS" >&2
    [ "$status" -ne 0 ] || status=1
else
    echo "conformance: production path confirmed (the model's add_task call added \"conformance check\")"
fi
[ "$status" -eq 0 ] || { echo "--- todod log"; tail -30 "$WORK/todod.log"; } >&2
exit $status
