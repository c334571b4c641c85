#!/usr/bin/env bash
# Starts the real todod on a FRESH PostgreSQL database, for running the Python interop and browser tests a second
# time against the PostgreSQL store. Put in place of todod (TODOD_BIN, or `todod` in a TODOD_BIN_DIR made by
# `bin-dir`); every start creates its own database `t_interop_<random>` as role todod (psql, CREATE DATABASE) on
# the cluster of TODOD_TEST_DATABASE_URL and then execs todod with `--database-url` pointing at it (same PID,
# so the harness's SIGTERM reaches todod). The database name goes to $TODOD_PG_DB_LOG when set (one per line), so
# the caller can prove afterwards that todod really migrated and used it (`verify`).
#
#   todod-fresh-db.sh [todod args…]        needs TODOD_PG_REAL_TODOD (the real todod) and TODOD_TEST_DATABASE_URL
#   todod-fresh-db.sh bin-dir DIR TODOD    makes DIR/todod (this script) and DIR/todoctl (TODOD's sibling)
#   todod-fresh-db.sh verify LOG           exit 0 when LOG names >= 1 database and every one has its migrations
#
# No PostgreSQL (URL unset, psql missing, cluster down): exits 1 with the reason, so the test FAILS, never skips.
set -euo pipefail
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
fail() { echo "todod-fresh-db: error: $*" >&2; exit 1; }

psql_bin() {
    local p
    p="$(command -v psql || ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1 || true)"
    [ -n "$p" ] && [ -x "$p" ] || fail "psql not found (install Debian's postgresql-client)"
    echo "$p"
}
# url_for DB: TODOD_TEST_DATABASE_URL with its database replaced by DB (query string kept).
url_for() {
    local base="${TODOD_TEST_DATABASE_URL%%\?*}" query=""
    [ "$base" = "$TODOD_TEST_DATABASE_URL" ] || query="?${TODOD_TEST_DATABASE_URL#*\?}"
    echo "${base%/*}/$1$query"
}

case "${1:-}" in
bin-dir)
    dir="${2:?bin-dir DIR TODOD}"; real="${3:?bin-dir DIR TODOD}"
    [ -x "$real" ] && [ -x "$(dirname "$real")/todoctl" ] || fail "no todod/todoctl at $(dirname "$real")"
    mkdir -p "$dir"
    ln -sf "$SELF" "$dir/todod"
    ln -sf "$(cd "$(dirname "$real")" && pwd)/todoctl" "$dir/todoctl"
    exit 0 ;;
verify)
    log="${2:?verify LOG}"
    [ -n "${TODOD_TEST_DATABASE_URL:-}" ] || fail "TODOD_TEST_DATABASE_URL is not set"
    [ -s "$log" ] || fail "no todod was started on a fresh PostgreSQL database ($log is empty)"
    psql="$(psql_bin)"; n=0
    while read -r db; do
        m="$("$psql" "$(url_for "$db")" -XAtq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM todod_schema_migrations" 2>&1)" \
            || fail "database $db has no todod schema: $m"
        [ "$m" -gt 0 ] 2>/dev/null || fail "database $db has no migrations applied ($m)"
        n=$((n + 1))
    done < "$log"
    echo "todod-fresh-db: $n todod start(s), each on its own migrated PostgreSQL database"
    exit 0 ;;
esac

[ -n "${TODOD_TEST_DATABASE_URL:-}" ] || fail "TODOD_TEST_DATABASE_URL is not set (start scripts/pg-cluster and eval its env)"
real="${TODOD_PG_REAL_TODOD:?todod-fresh-db: TODOD_PG_REAL_TODOD (the real todod) is not set}"
db="t_interop_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
out="$("$(psql_bin)" "$TODOD_TEST_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" 2>&1)" \
    || fail "CREATE DATABASE $db failed: $out"
[ -z "${TODOD_PG_DB_LOG:-}" ] || echo "$db" >> "$TODOD_PG_DB_LOG"
unset DATABASE_URL TODOD_DATABASE_URL
exec "$real" --database-url "$(url_for "$db")" "$@"
