#!/usr/bin/env bash
# Runs ../shared/chatkit/conformance.py --strict against a freshly built todod: the real agent (production
# path) in front of Tests/Browser/scripted_llm.py, a scripted OpenAI-compatible model server on loopback.
# Twice: on the file store, then on PostgreSQL (issue 10): this script's own throwaway cluster (scripts/pg-cluster
# with a TODOD_PG_STATE of its own, stopped and deleted on exit) and a fresh database for todod
# (Tests/Interop/postgres/todod-fresh-db.sh, --database-url). No PostgreSQL: the second run fails, never skips.
#   .ci/conformance.sh SHARED_CHATKIT_DIR
# The checker's pinned Python packages go into .build/venv-chatkit.
set -euo pipefail
cd "$(dirname "$0")/.."
CHATKIT="$(cd "${1:?usage: .ci/conformance.sh SHARED_CHATKIT_DIR}" && pwd)"
VENV="$PWD/.build/venv-chatkit"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import chatkit, httpx" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$CHATKIT/requirements.txt"
fi
BIN="$(swift build --show-bin-path)"
run_checker() { PYTHON="$VENV/bin/python" SHARED="$(dirname "$CHATKIT")" Tests/Interop/chatkit/conformance_todod.sh "$@"; }

echo "==> ChatKit conformance --strict: todod on the file store"
file_status=0
run_checker "$BIN/todod" "$BIN/todoctl" || file_status=$?

echo "==> ChatKit conformance --strict: todod on PostgreSQL"
t0=$(date +%s)
PG_WORK="$(mktemp -d "${TMPDIR:-/tmp}/todod-conformance-pg.XXXXXX")"
export TODOD_PG_STATE="$PG_WORK/pg-cluster.current"
trap 'scripts/pg-cluster stop || true; rm -rf "$PG_WORK"' EXIT
pg_status=0
if scripts/pg-cluster start && eval "$(scripts/pg-cluster env)"; then
    : > "$PG_WORK/dbs"
    TODOD_PG_REAL_TODOD="$BIN/todod" TODOD_PG_DB_LOG="$PG_WORK/dbs" \
        run_checker "$PWD/Tests/Interop/postgres/todod-fresh-db.sh" "$BIN/todoctl" || pg_status=$?
    Tests/Interop/postgres/todod-fresh-db.sh verify "$PG_WORK/dbs" || pg_status=1
else
    echo "conformance: no PostgreSQL cluster (scripts/pg-cluster start failed): the PostgreSQL run fails" >&2
    pg_status=1
fi
echo "==> ChatKit conformance --strict: file store $([ "$file_status" = 0 ] && echo passed || echo "FAILED ($file_status)")," \
     "PostgreSQL $([ "$pg_status" = 0 ] && echo passed || echo "FAILED ($pg_status)") ($(( $(date +%s) - t0 ))s)"
[ "$file_status" = 0 ] && [ "$pg_status" = 0 ]
