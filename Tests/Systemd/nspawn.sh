#!/usr/bin/env bash
# todod under a real systemd as PID 1: boots `systemd-nspawn --volatile=yes -D / -b` (a tmpfs root with the
# host's /usr) with the built todod/todoctl on /usr/local/bin and the unit files of systemd/ plus the group
# drop-ins of systemd/examples/ installed in /etc/systemd/system, then checks: activation on first use, READY
# and STATUS, watchdog pings, `systemctl reload` (SIGHUP), kill -9 -> restart with the data intact, a clean
# stop, and a member of group `todo` (and not a stranger) using the system socket with a plain `todoctl`.
# Then the user units under alice's user manager, when the container can run one (said plainly when not).
#
#   sudo Tests/Systemd/nspawn.sh        (root; CI runs it as root; about 20 s, bounded to ~3 min)
#
# Environment: TODOD_BIN / TODOCTL_BIN (default .build/debug/todod, todoctl), TODOD_UNIT_DIR (default
# systemd/; the units to test), TODOD_NSPAWN_LIMIT (default 170: seconds before the container is killed).
# Prints "N passed, M failed" and exits 1 on any failure; the container is always powered off (trap).
# Runs in a private mount namespace, so the tmpfs that nspawn needs under /run/systemd/nspawn never shows on
# the host. The watchdog is shortened to 3 s by a test-only drop-in.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "nspawn.sh: must run as root (systemd-nspawn)" >&2; exit 1; }
if [ -z "${TODOD_NSPAWN_NS:-}" ]; then
    exec env TODOD_NSPAWN_NS=1 unshare --mount --propagation private bash "${BASH_SOURCE[0]}" "$@"
fi
if ! command -v systemd-nspawn >/dev/null; then
    . "$repo/scripts/lib.sh"
    ensure_debs systemd-container || exit 1
fi

todod=${TODOD_BIN:-$repo/.build/debug/todod}
todoctl=${TODOCTL_BIN:-$repo/.build/debug/todoctl}
units=${TODOD_UNIT_DIR:-$repo/systemd}
for f in "$todod" "$todoctl"; do [ -x "$f" ] || { echo "nspawn.sh: $f is missing (swift build first)" >&2; exit 1; }; done

passed=0 failed=0
t0=$(date +%s)
ok() { passed=$((passed + 1)); echo "ok   $1 ($(( $(date +%s) - t0 ))s)"; }
not_ok() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2} ($(( $(date +%s) - t0 ))s)"; }

# MARK: Staging (binaries, the libraries they need from outside /usr, units)
work=$(mktemp -d /tmp/todod-nspawn.XXXXXX)
limit=${TODOD_NSPAWN_LIMIT:-170}
machine=todod-test-$$
nspawn_pid= watchdog_pid=
cleanup() {
    trap - EXIT INT TERM
    if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
        kill -TERM "$nspawn_pid" 2>/dev/null # nspawn powers the container off on SIGTERM
        for _ in $(seq 1 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$nspawn_pid" 2>/dev/null
        wait "$nspawn_pid" 2>/dev/null
    fi
    [ -n "$watchdog_pid" ] && kill "$watchdog_pid" 2>/dev/null
    umount /run/systemd/nspawn 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "nspawn.sh: interrupted" >&2; exit 1' INT TERM
on_limit() {
    echo "FAIL time limit ($limit s) reached: the container was killed"
    echo "systemd (nspawn): $passed passed, $((failed + 1)) failed"
    exit 1
}
trap on_limit USR1

mkdir -p "$work/bin" "$work/stage/system" "$work/stage/user"
cp "$todod" "$todoctl" "$work/bin/"
binds=(--bind-ro="$work/bin:/usr/local/bin" --bind-ro="$work/stage:/opt/todod-test")
lib_binds=()
for lib in $(ldd "$todod" "$todoctl" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u); do
    dir=$(dirname "$(readlink -f "$lib")")
    case $dir in /usr/*|/lib/*|/lib64/*|/lib|/lib64) ;; *) lib_binds+=("$dir") ;; esac
done
lib_binds=($(printf '%s\n' "${lib_binds[@]}" | sort -u))
for dir in "${lib_binds[@]}"; do binds+=(--bind-ro="$dir"); done
cp "$units"/*.service "$units"/*.socket "$work/stage/system/"
cp -R "$units"/examples/*.d "$work/stage/system/"
printf '[Service]\nWatchdogSec=3s\n' > "$work/stage/system/todod.service.d/zz-test-watchdog.conf"
cp "$units"/user/*.service "$units"/user/*.socket "$work/stage/user/"
# nspawn puts a FIFO on /proc/kmsg, and a user manager cannot mask that ("Failed to mount .../inaccessible/fifo
# to /proc/kmsg"); so, in this container only, the user service runs without ProtectKernelLogs.
mkdir -p "$work/stage/user/todod.service.d"
printf '[Service]\nProtectKernelLogs=no\n' > "$work/stage/user/todod.service.d/zz-test-container.conf"

# MARK: Boot
mkdir -p /run/systemd/nspawn && mount -t tmpfs tmpfs /run/systemd/nspawn
systemd-nspawn --quiet --volatile=yes -D / -b --register=no --keep-unit --private-network -M "$machine" \
    --console=read-only "${binds[@]}" -- systemd.firstboot=off > "$work/console.log" 2>&1 &
nspawn_pid=$!
leader=
for _ in $(seq 1 100); do
    leader=$(pgrep -P "$nspawn_pid" -x systemd | head -1)
    [ -n "$leader" ] && break
    kill -0 "$nspawn_pid" 2>/dev/null || break
    sleep 0.2
done
if [ -z "$leader" ]; then
    not_ok "boot" "no container PID 1; console: $(tail -5 "$work/console.log")"
    echo "systemd (nspawn): $passed passed, $failed failed"
    exit 1
fi
# The bound: after $limit s the container's PID 1 is killed (which ends every process in it, so no command
# here can hang) and this script told to stop. The watchdog holds no output pipe and takes its sleep with it.
( sleep "$limit" & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait $s || exit 0
  kill -USR1 $$; kill -KILL "$leader" ) >/dev/null 2>&1 </dev/null &
watchdog_pid=$!
PATHS=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
C() { nsenter -t "$leader" -a env -i PATH=$PATHS "$@"; } # a command in the container, as root, clean env
as() { # $1 = user, rest = command: as that user (her groups from /etc/group), clean env, no XDG_RUNTIME_DIR
    local u=$1; shift
    nsenter -t "$leader" -a setpriv --reuid="$u" --regid="$u" --init-groups env -i PATH=$PATHS HOME=/ "$@"
}
prop() { C systemctl show -P "$2" "$1" 2>/dev/null; }
wait_for() { # $1 = seconds, rest = command; true once the command succeeds
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.2; done
}
booted() { case $(C systemctl is-system-running 2>/dev/null) in running|degraded) return 0 ;; *) return 1 ;; esac; }
if wait_for 60 booted; then ok "container booted (systemd $(C systemctl --version | head -1 | cut -d' ' -f2) as PID 1)"
else not_ok "boot" "$(C systemctl is-system-running 2>&1)"; fi

# MARK: Accounts and units
C systemd-sysusers --inline 'g todo -' 'u alice 1000 "Alice" /home/alice /bin/sh' 'm alice todo' \
    'u bob 1001 "Bob" /home/bob /bin/sh' >/dev/null 2>&1
if as alice id -Gn 2>/dev/null | grep -qw todo && ! as bob id -Gn 2>/dev/null | grep -qw todo; then
    ok "users: alice in todo, bob not"; else not_ok "users" "$(as alice id 2>&1)"; fi
C sh -c 'mkdir -p /home/alice /home/bob && chown alice: /home/alice && chown bob: /home/bob'
C sh -c 'cp -R /opt/todod-test/system/. /etc/systemd/system/ && systemctl daemon-reload'
# Static binaries (scripts/install, as .ci/run leaves them after scripts/test) need nothing from outside /usr, so
# the container has no Swift toolchain at all; a dynamic build gets the toolchain's library directory bound in.
if [ ${#lib_binds[@]} -eq 0 ]; then echo "note binaries need no library from outside /usr: no toolchain in the container"
else echo "note bound into the container for the binaries' libraries: ${lib_binds[*]}"; fi
if C todod --help >/dev/null 2>&1; then ok "todod runs in the container"
else not_ok "todod runs in the container" "$(C todod --help 2>&1 | tail -3)"; fi
if C systemctl start todod-control.socket todod-http.socket; then ok "sockets started"
else not_ok "sockets started" "$(C systemctl status --no-pager todod-control.socket 2>&1 | tail -5)"; fi
socket_file() { # $1 = when
    local sock dir
    sock=$(C stat -c '%U:%G %a %F' /run/todod/todod.sock 2>&1)
    dir=$(C stat -c '%U %a %F' /run/todod 2>&1) # not followed: a symlink (to /run/private/...) fails
    if [ "$sock" = "root:todo 660 socket" ] && [ "$dir" = "root 755 directory" ]; then
        ok "/run/todod/todod.sock is root:todo 0660 in a root 0755 directory ($1)"
    else not_ok "socket file ($1)" "$sock; /run/todod: $dir"; fi
}
socket_file "socket unit started"

# MARK: Activation on first use, READY, STATUS, watchdog
state=$(prop todod.service ActiveState)
if [ "$state" = inactive ]; then ok "service inactive until first use"; else not_ok "service inactive until first use" "$state"; fi
out=$(C todoctl add "root's task" 2>&1)
if [ $? -eq 0 ] && [ "$(prop todod.service ActiveState)" = active ]; then ok "activated by a plain todoctl (root)"
else not_ok "activation" "$out"; fi
status=$(prop todod.service StatusText)
if [ "$(prop todod.service SubState)" = running ] && [ -n "$status" ]; then ok "READY, STATUS=$status"
else not_ok "READY/STATUS" "$(prop todod.service SubState) '$status'"; fi
socket_file "service running"
out=$(C curl -fsS --max-time 5 http://127.0.0.1:8765/healthz 2>&1)
if [ $? -eq 0 ]; then ok "HTTP socket (127.0.0.1:8765) served: GET /healthz -> $out"; else not_ok "GET /healthz" "$out"; fi
pid=$(prop todod.service MainPID)
w1=$(prop todod.service WatchdogTimestampMonotonic)
pings=0
pinged() { # true once $1 more pings (new WatchdogTimestamp values) were seen
    local w; w=$(prop todod.service WatchdogTimestampMonotonic)
    [ "$w" != "$w1" ] && { w1=$w; pings=$((pings + 1)); }
    [ "$pings" -ge "$1" ]
}
if [ "$(prop todod.service WatchdogUSec)" = 3s ] && wait_for 5 pinged 1; then ok "watchdog ping received (WatchdogSec=3s)"
else not_ok "watchdog ping" "WatchdogUSec=$(prop todod.service WatchdogUSec), timestamp still $w1"; fi
# Three more pings take longer than WatchdogSec: the service must still be the same process, never restarted.
if wait_for 10 pinged 4 && [ "$(prop todod.service MainPID)" = "$pid" ] && [ "$(prop todod.service NRestarts)" = 0 ]; then
    ok "alive past WatchdogSec, $pings pings (same pid $pid)"
else not_ok "alive past WatchdogSec" "pings $pings, MainPID $(prop todod.service MainPID) NRestarts $(prop todod.service NRestarts)"; fi

# MARK: Group access with a plain todoctl
out=$(as alice todoctl add "alice's task" 2>&1)
if [ $? -eq 0 ]; then ok "alice (group todo) adds a task"; else not_ok "alice adds a task" "$out"; fi
out=$(as alice todoctl list 2>&1)
if echo "$out" | grep -q "alice's task" && ! echo "$out" | grep -q "root's task"; then ok "alice lists her own tasks only"
else not_ok "alice lists her tasks" "$out"; fi
out=$(as alice todoctl status --json 2>&1)
if echo "$out" | grep -q '"alice"'; then ok "todod sees alice as alice (her real uid, not 65534)"
else not_ok "alice's identity" "$out"; fi
out=$(as bob todoctl list 2>&1)
if [ $? -ne 0 ] && echo "$out" | grep -q "permission denied" && echo "$out" | grep -q "group 'todo'" \
    && ! echo "$out" | grep -q "not running"; then
    ok "bob (not in todo) told permission denied and which group to join: $(echo "$out" | head -1)"; else not_ok "bob refused" "$out"; fi

# MARK: Reload, kill -9, clean stop
reloaded() { C journalctl -u todod.service --no-pager -q | grep -q SIGHUP; }
if C systemctl reload todod.service && wait_for 10 reloaded && [ "$(prop todod.service MainPID)" = "$pid" ]; then
    ok "systemctl reload: SIGHUP logged, same pid"; else not_ok "reload" "$(C journalctl -u todod.service --no-pager -q | tail -3)"; fi
C kill -KILL "$pid"
restarted() { [ "$(prop todod.service NRestarts)" = 1 ] && [ "$(prop todod.service SubState)" = running ]; }
if wait_for 20 restarted && [ "$(prop todod.service MainPID)" != "$pid" ]; then ok "kill -9 -> restarted (NRestarts=1)"
else not_ok "restart after kill -9" "$(prop todod.service SubState) NRestarts=$(prop todod.service NRestarts)"; fi
if C todoctl list 2>&1 | grep -q "root's task" && as alice todoctl list 2>&1 | grep -q "alice's task"; then
    ok "data intact after kill -9"; else not_ok "data after kill -9" "$(C todoctl list 2>&1; as alice todoctl list 2>&1)"; fi
C systemctl stop todod.service 2>/dev/null # (warns that the sockets can still activate it)
result="$(prop todod.service ActiveState) $(prop todod.service Result) $(prop todod.service ExecMainCode) $(prop todod.service ExecMainStatus)"
if [ "$result" = "inactive success 1 0" ]; then ok "clean stop: exit 0, Result=success"
else not_ok "clean stop" "ActiveState Result ExecMainCode ExecMainStatus = $result"; fi
out=$(as alice todoctl list 2>&1)
if echo "$out" | grep -q "alice's task" && [ "$(prop todod.service ActiveState)" = active ]; then
    ok "re-activated by alice after the stop, data intact"; else not_ok "re-activation by alice" "$out"; fi
C systemctl stop todod.service todod-control.socket todod-http.socket
if ! C test -e /run/todod/todod.sock; then ok "socket file removed when the socket unit stops"
else not_ok "socket file removed on stop"; fi

# MARK: User units (alice's user manager), when the container can run one
failed_before_user=$failed
C sh -c 'mkdir -p /etc/systemd/user && cp -R /opt/todod-test/user/. /etc/systemd/user/'
# user@.service opens a PAM session (PAMName=systemd-user); the volatile /etc has no PAM configuration, and
# the host's needs pam_loginuid, which a container may not use. A permit-only stack is enough here.
# pam_env gives the manager the XDG_RUNTIME_DIR that pam_systemd (logind) would.
C sh -c 'mkdir -p /etc/pam.d && echo XDG_RUNTIME_DIR=/run/user/1000 > /etc/todod-test-user.env &&
    printf "%s\n" "auth required pam_permit.so" "account required pam_permit.so" "session required pam_permit.so" \
    "session required pam_env.so readenv=1 envfile=/etc/todod-test-user.env conffile=/dev/null" > /etc/pam.d/systemd-user'
if C systemctl start user@1000.service 2>/dev/null && wait_for 10 C test -S /run/user/1000/systemd/private; then
    U() { # as alice in her session: XDG_RUNTIME_DIR set
        nsenter -t "$leader" -a setpriv --reuid=alice --regid=alice --init-groups \
            env -i PATH=$PATHS HOME=/home/alice XDG_RUNTIME_DIR=/run/user/1000 "$@"
    }
    if U systemctl --user start todod-control.socket todod-http.socket; then ok "user sockets started"
    else not_ok "user sockets" "$(U systemctl --user status --no-pager todod-control.socket 2>&1 | tail -3)"; fi
    out=$(U todoctl add "alice's user-daemon task" 2>&1)
    if [ $? -eq 0 ] && [ "$(U systemctl --user show -P ActiveState todod.service)" = active ] \
        && C test -S /run/user/1000/todod/todod.sock; then ok "user daemon activated at \$XDG_RUNTIME_DIR/todod/todod.sock"
    else not_ok "user daemon activation" "$out"; fi
    out=$(U todoctl list 2>&1)
    if echo "$out" | grep -q "user-daemon task" && [ -n "$(U systemctl --user show -P StatusText todod.service)" ]; then
        ok "user daemon lists the task, STATUS set"; else not_ok "user daemon list" "$out"; fi
    U systemctl --user stop todod.service 2>/dev/null
    result="$(U systemctl --user show -P Result todod.service) $(U systemctl --user show -P ExecMainStatus todod.service)"
    if [ "$result" = "success 0" ]; then ok "user daemon clean stop"; else not_ok "user daemon clean stop" "$result"; fi
    U systemctl --user stop todod-control.socket todod-http.socket
    if [ "$failed" -gt "$failed_before_user" ]; then
        echo "--- alice's user manager (journal, uid 1000)"; C journalctl --no-pager -q _UID=1000 | tail -15
    fi
else
    echo "NOTE user units not tested: the container cannot run alice's user manager" \
        "($(C systemctl show -P Result user@1000.service 2>&1)):"
    C journalctl --no-pager -q -u user@1000.service | tail -5 | sed 's/^/     /'
    echo "($(( $(date +%s) - t0 ))s)"
fi

if [ "$failed" -gt 0 ]; then
    echo "--- todod journal (container)"
    C journalctl --no-pager -q -u todod.service -u todod-control.socket -u todod-http.socket | tail -40
fi
echo "systemd (nspawn, $(( $(date +%s) - t0 ))s before power-off): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
