#!/usr/bin/env bash
# Instructions per operation of a todod, counted by callgrind (repeatable to within about 3% where CPU seconds on
# shared cores are not), and the top functions by self cost:
#   Tests/Bench/callgrind_ops.sh BIN_DIR turn|rest|control [N]      (N operations, default 20)
# BIN_DIR holds todod and todoctl, best the static release build (CONFIG=release Tests/Static/relink_static.sh):
# valgrind 3.19 refuses the DWARF of the toolchain's dynamic release build, so a copy stripped of debug
# information runs (symbols stay). todod runs the real agent in front of ../shared/peers/fake_llm.py (titles
# off, so a turn is one model call); instrumentation is switched on only around the N operations, after 5
# warm-up ones. Operations are those of scripts/profile (its driver, one connection, sequential).
# Env: PEERS_DIR (../shared/peers), PYTHON (python3), TOP (25), KEEP=1 keeps the work directory.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:?usage: callgrind_ops.sh BIN_DIR turn|rest|control [N]}; KIND=${2:?usage: callgrind_ops.sh BIN_DIR turn|rest|control [N]}; N=${3:-20}
case "$KIND" in turn|rest|control) ;; *) echo "callgrind_ops: unknown operation $KIND (turn, rest or control)" >&2; exit 2 ;; esac
PY=${PYTHON:-python3}; PEERS=${PEERS_DIR:-$ROOT/../shared/peers}; TOP=${TOP:-25}
command -v valgrind > /dev/null || { echo "callgrind_ops: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
[ -f "$PEERS/fake_llm.py" ] || { echo "callgrind_ops: $PEERS/fake_llm.py is missing (set PEERS_DIR)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/todod-cg.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] || rm -rf "$T"; }
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
sed -n "/^cat > \"\$TMP\/drive.py\" << 'PYEOF'/,/^PYEOF/p" "$ROOT/scripts/profile" | sed '1d;$d' > "$T/drive.py"
[ -s "$T/drive.py" ] || { echo "callgrind_ops: could not read the driver out of scripts/profile" >&2; exit 1; }
strip --strip-debug -o "$T/todod" "$BIN/todod"
LP=$(free_port); HP=$(free_port)
"$PY" "$PEERS/fake_llm.py" --port "$LP" > "$T/llm.log" 2>&1 & PIDS+=($!)
env -u TODOD_DATABASE_URL -u DATABASE_URL TODOD_LLM_BASE_URL="http://127.0.0.1:$LP/v1" TODOD_LLM_MODEL=fake-model TODOD_LLM_TITLES=off \
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$T/cg.out" \
  "$T/todod" --data-dir "$T/data" --control-socket "$T/ctl.sock" --http "127.0.0.1:$HP" --chat-rate-limit 0 --log-level warning \
  > "$T/todod.log" 2>&1 & VG=$!; PIDS+=($VG)
for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$HP/healthz" && break; kill -0 "$VG" 2>/dev/null || break; sleep 0.2; done
curl -s -o /dev/null "http://127.0.0.1:$HP/healthz" || { echo "callgrind_ops: todod did not start under valgrind" >&2; tail -5 "$T/todod.log" >&2; exit 1; }
TOKEN=$("$BIN/todoctl" token --socket "$T/ctl.sock")
"$PY" "$T/drive.py" "$KIND" 0 5 "$HP" "$TOKEN" "$T/ctl.sock"
callgrind_control -i on "$VG" > /dev/null
"$PY" "$T/drive.py" "$KIND" 5 "$N" "$HP" "$TOKEN" "$T/ctl.sock"
callgrind_control -i off "$VG" > /dev/null
callgrind_control -d "$VG" > /dev/null
sleep 1
total=0
for f in "$T"/cg.out*; do s=$(grep -E '^totals:' "$f" | head -1 | awk '{print $2}' || true); total=$((total + ${s:-0})); done
[ "$total" -gt 0 ] || { echo "callgrind_ops: callgrind counted nothing" >&2; exit 1; }
echo "$KIND, $BIN/todod: $N operations, $total instructions, $((total / N)) per operation"
callgrind_annotate --inclusive=no "$(ls -S "$T"/cg.out* | head -1)" 2>/dev/null | grep -E '^ *[0-9,]+ ' | sed -n "2,$((TOP + 1))p" |
  { command -v swift-demangle > /dev/null && swift-demangle --simplified || cat; } | cut -c1-160
