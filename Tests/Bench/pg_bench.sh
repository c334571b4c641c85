#!/usr/bin/env bash
# PostgreSQL benchmark: file store vs PostgreSQL through real todod processes, from one run of `todo-bench pg`
# (durable adds/s at 1 and 16 clients, ChatKit turns/s at 16, two todod instances on one database vs one;
# p50/p99 latency and CPU per operation). Starts a throwaway cluster with scripts/pg-cluster, stops it at the end.
#
# Usage: Tests/Bench/pg_bench.sh [todo-bench pg options: --adds N --turns N --quick]
#        (from the repo root, after `swift build -c release --product todo-bench --product todod`)
# Env:   TODO_BENCH_BIN (default .build/release/todo-bench, else .build/debug/todo-bench; todod must sit next to it),
#        TODOD_PG_STATE (default: a fresh pointer file, so a test cluster is never touched).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=${TODO_BENCH_BIN:-}
if [ -z "$BENCH" ]; then
  for b in "$ROOT/.build/release/todo-bench" "$ROOT/.build/debug/todo-bench"; do
    if [ -x "$b" ] && [ -x "$(dirname "$b")/todod" ]; then BENCH=$b; break; fi
  done
fi
[ -n "$BENCH" ] && [ -x "$BENCH" ] || { echo "pg_bench: build todo-bench and todod first (swift build -c release)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/todod-pg-bench.XXXXXX)
export TODOD_PG_STATE=${TODOD_PG_STATE:-$TMP/cluster.state}
cleanup() { bash "$ROOT/scripts/pg-cluster" stop >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
bash "$ROOT/scripts/pg-cluster" start
eval "$(bash "$ROOT/scripts/pg-cluster" env)"
"$BENCH" pg --dir "$TMP/run" --database-url "$TODOD_TEST_DATABASE_URL" "$@"
