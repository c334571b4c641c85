#!/usr/bin/env bash
# Regenerates Sources/todod/startup.order, the lld --symbol-ordering-file for todod (Package.swift):
#   Tests/Static/startup_order.sh BIN_DIR      (BIN_DIR holds an unstripped static release todod, e.g. from
#                                              CONFIG=release Tests/Static/relink_static.sh BIN_DIR todod)
# It runs a stripped copy under callgrind from exec until the control socket exists (READY) plus 3 s idle,
# then SIGTERM, and lists every function of todod that ran, as mangled names (from the unstripped symbol
# table: stripping keeps addresses). lld then places those ~3,000 functions next to each other, so the pages
# of code a started, idle todod has touched are a few MB instead of ~16 MB spread over the 53 MB .text.
# A stale list costs only that locality (names that no longer exist are ignored), never correctness.
set -euo pipefail
bin=${1:?usage: startup_order.sh BIN_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/todod-order.XXXXXX")
trap 'rm -rf "$work"' EXIT
strip -o "$work/todod" "$bin/todod"
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.out" "$work/todod" --data-dir "$work/d" \
    --control-socket "$work/c.sock" --http 127.0.0.1:0 --log-level warning > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do [ -e "$work/c.sock" ] && break; sleep 1; done
[ -e "$work/c.sock" ] || { echo "startup_order: todod did not start under callgrind" >&2; cat "$work/log" >&2; exit 1; }
sleep 3
kill -TERM "$pid"
wait "$pid" || true
nm --defined-only "$bin/todod" | awk '$2 ~ /[tTwW]/ {print $1, $3}' > "$work/syms"
python3 - "$work/cg.out" "$work/syms" > "$here/Sources/todod/startup.order" <<'PY'
import re, sys
names, ob, cob, ran = {}, None, None, set()
for line in open(sys.argv[1]):
    m = re.match(r'^(c?ob)=\((\d+)\)(?: (.*))?$', line.rstrip('\n'))
    if m:
        kind, i, name = m.groups()
        if name: names[i] = name
        if kind == 'ob': ob, cob = names[i], None
        else: cob = names[i]
        continue
    m = re.match(r'^(c?fn)=\((\d+)\)(?: (0x[0-9a-f]+))?', line)
    if m:
        kind, _, addr = m.groups()
        owner = cob if kind == 'cfn' and cob else ob
        if kind == 'cfn': cob = None
        if addr and owner and owner.endswith('/todod'): ran.add(int(addr, 16))
symbols = {}
for line in open(sys.argv[2]):
    address, name = line.split(None, 1)
    symbols.setdefault(int(address, 16), []).append(name.strip())
seen = set()
for address in sorted(ran):
    for name in symbols.get(address, []):
        if name not in seen:
            seen.add(name)
            print(name)
PY
echo "startup_order: $(wc -l < "$here/Sources/todod/startup.order") functions in Sources/todod/startup.order" >&2
