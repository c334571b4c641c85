#!/usr/bin/env bash
# Runs ../shared/chatkit/conformance.py --strict against a real todod (scripted responder, no LLM).
# Usage: Tests/Interop/chatkit/conformance_todod.sh [TODOD_BIN [TODOCTL_BIN]]
# Needs: python with openai-chatkit + httpx (PYTHON, default /work/.venv-chatkit/bin/python).
# Exits 0 when ../shared is missing (nothing to check), else conformance.py's status.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
PY="${PYTHON:-/work/.venv-chatkit/bin/python}"
TODOD="${1:-$ROOT/.build/debug/todod}"
TODOCTL="${2:-$(dirname "$TODOD")/todoctl}"
[ -f "$SHARED/chatkit/conformance.py" ] || { echo "no $SHARED/chatkit: skipping conformance" >&2; exit 0; }
WORK="$(mktemp -d /tmp/todod-conformance.XXXXXX)"
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TODOD_RESPONDER=scripted-echo "$TODOD" --data-dir "$WORK/data" --control-socket "$WORK/ctl.sock" \
  --http "127.0.0.1:$PORT" --chat-rate-limit 0 > "$WORK/todod.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
TOKEN=$("$TODOCTL" token --socket "$WORK/ctl.sock")
"$PY" "$SHARED/chatkit/conformance.py" --url "http://127.0.0.1:$PORT/api/chatkit" --token "$TOKEN" --strict
