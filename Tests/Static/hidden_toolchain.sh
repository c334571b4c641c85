#!/usr/bin/env bash
# The inner half of Tests/Static/deploy_alone.sh: runs in a private mount namespace, hides the Swift toolchain
# under an empty tmpfs, then starts the installed todod and talks to it. Prints ok/FAIL lines.
# Environment (from deploy_alone.sh): HIDE (toolchain directory), PREFIX (install prefix), WORK (temp dir), PORT.
set -uo pipefail
: "${HIDE:?} ${PREFIX:?} ${WORK:?} ${PORT:?}"
failures=0
ok() { echo "ok   $1"; }
not_ok() { failures=$((failures + 1)); echo "FAIL $1${2:+: $2}"; }

mount -t tmpfs -o size=1m,mode=0755 tmpfs "$HIDE" || { not_ok "hide $HIDE" "mount failed"; exit 1; }
known=$(ldconfig -p 2>/dev/null)
if [ -z "$(ls -A "$HIDE")" ] && ! command -v swift >/dev/null 2>&1 && ! grep -q libswiftCore <<<"$known"; then
    ok "toolchain hidden: $HIDE is empty, no swift on PATH, no libswiftCore known to ldconfig"
else
    not_ok "toolchain hidden" "$(ls -A "$HIDE" | head -3) $(command -v swift)"
fi
todod=$PREFIX/bin/todod todoctl=$PREFIX/bin/todoctl
libs=$(ldd "$todod" "$todoctl" 2>&1) # (not piped into grep -q: with pipefail, ldd's SIGPIPE would hide a match)
if grep -q 'not found' <<<"$libs"; then
    not_ok "ldd with the toolchain hidden" "$(grep 'not found' <<<"$libs" | head -3 | tr -s '\t\n' '  ')"
else ok "ldd with the toolchain hidden: nothing missing"; fi

data=$WORK/data sock=$WORK/ctl.sock log=$WORK/todod.log base=http://127.0.0.1:$PORT
"$todod" --data-dir "$data" --control-socket "$sock" --http "127.0.0.1:$PORT" >"$log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null' EXIT
answered=0
for _ in $(seq 300); do # 30 s at most
    if curl -fsS --max-time 2 -o "$WORK/healthz" "$base/healthz" 2>/dev/null; then answered=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ "$answered" = 1 ]; then ok "todod started; GET /healthz -> $(head -c 80 "$WORK/healthz")"
else not_ok "todod answers /healthz" "$(tail -5 "$log")"; exit 1; fi

out=$("$todoctl" status --socket "$sock" 2>&1)
if [ $? -eq 0 ] && grep -q "$pid" <<<"$out"; then ok "todoctl status (pid $pid): $(head -1 <<<"$out")"
else not_ok "todoctl status" "$out"; fi
out=$("$todoctl" add --socket "$sock" "static binary task p2 @deploy" 2>&1)
if [ $? -eq 0 ]; then ok "todoctl add"; else not_ok "todoctl add" "$out"; fi
out=$("$todoctl" list --socket "$sock" 2>&1)
if grep -q "static binary task" <<<"$out"; then ok "todoctl list shows the task"; else not_ok "todoctl list" "$out"; fi

"$todoctl" stop --socket "$sock" >/dev/null 2>&1
code=
for _ in $(seq 150); do # 15 s at most
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; code=$?; break; fi
    sleep 0.1
done
if [ "$code" = 0 ]; then ok "todoctl stop: todod exited 0"
else not_ok "clean stop" "exit code '${code:-still running}'; $(tail -3 "$log")"; fi
[ "$failures" -eq 0 ]
