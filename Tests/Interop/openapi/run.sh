#!/usr/bin/env bash
# schemathesis (PyPI, pinned in Tests/requirements.txt) with all its checks against /api/openapi.json of a real
# todod: temp data dir, free port, a bearer token from `todoctl token`. Prints schemathesis's summary and exits
# non-zero on any failure.
#
#   Tests/Interop/openapi/run.sh
#
# Environment: OPENAPI_VENV (a venv with schemathesis; default .build/venv-tests, made from Tests/requirements.txt
# when it lacks schemathesis), TODOD_BIN_DIR (default .build/debug), ST_MAX_EXAMPLES (default 25),
# ST_MAX_TIME (seconds, default 100), ST_SEED (reproduce a run).
#
# Not fuzzed (their contract is still in the document and in the Swift tests): GET /api/events, an endless
# event stream, and POST /api/chat, whose answer is a 503 when no model is configured (none is here).
# schemathesis.toml beside this file turns every check on and says why POST /mcp and POST /api/chatkit may refuse a
# schema-valid body with 400, and why reads of one task skip the use-after-free check.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
BIN="${TODOD_BIN_DIR:-$REPO/.build/debug}"
VENV="${OPENAPI_VENV:-$REPO/.build/venv-tests}"
for tool in todod todoctl; do
    [ -x "$BIN/$tool" ] || { echo "openapi: $BIN/$tool is missing (swift build first)" >&2; exit 2; }
done
if [ ! -x "$VENV/bin/st" ]; then
    echo "openapi: installing Tests/requirements.txt into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$REPO/Tests/requirements.txt" >&2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/todod-openapi-XXXXXX")"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$BIN/todod" --data-dir "$tmp/data" --control-socket "$tmp/ctl.sock" --http "127.0.0.1:$port" >"$tmp/todod.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
    curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "openapi: todod exited:" >&2; cat "$tmp/todod.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS -o /dev/null "$base/healthz" || { echo "openapi: todod did not answer /healthz in 30 s" >&2; cat "$tmp/todod.log" >&2; exit 1; }
token="$("$BIN/todoctl" token --socket "$tmp/ctl.sock")"

echo "==> schemathesis $("$VENV/bin/st" --version 2>&1 | tail -1), every check (schemathesis.toml), against $base/api/openapi.json" >&2
status=0
# From the temp dir: schemathesis keeps its example database (.schemathesis/) in the working directory.
(cd "$tmp" && "$VENV/bin/st" --config-file "$HERE/schemathesis.toml" run "$base/api/openapi.json" \
    --header "Authorization: Bearer $token" \
    --max-examples "${ST_MAX_EXAMPLES:-25}" \
    --max-time "${ST_MAX_TIME:-100}" \
    --request-timeout 10 \
    --exclude-path /api/events --exclude-path /api/chat \
    ${ST_SEED:+--seed "$ST_SEED"} \
    --no-color --output-truncate false \
    --report junit --report-dir "$tmp/report") || status=$?
if [ "$status" -ne 0 ]; then
    echo "openapi: schemathesis failed (exit $status); todod's log:" >&2
    tail -n 40 "$tmp/todod.log" >&2
fi
exit "$status"
