#!/bin/sh
# Checks the unit files: `systemd-analyze verify --man=no` must print nothing (it exits 0 even on misspelled
# keys, so any output fails), and `systemd-analyze security --offline=yes` must score <= 2.0 for both the
# system and the user service. Runs without systemd as PID 1.
#
# verify refuses a unit whose ExecStart binary does not exist, so the units are checked as copies in a
# temporary directory (same file names) with /usr/local/bin/todod replaced by $TODOD_BIN (default: the
# built .build/debug/todod, else /bin/true). Nothing else in the units is changed. The system units are checked
# a second time with the example drop-ins of systemd/examples/ (group access) beside them.
#
# Usage: systemd/verify.sh            (from anywhere; exit 0 = all good)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${TODOD_BIN:-}
if [ -z "$bin" ]; then
    if [ -x "$here/../.build/debug/todod" ]; then bin=$here/../.build/debug/todod; else bin=/bin/true; fi
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v systemd-analyze >/dev/null || { echo "verify.sh: systemd-analyze not found (apt-get install systemd)" >&2; exit 1; }

work=$(mktemp -d /tmp/todod-verify.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/system" "$work/user" "$work/xdg" "$work/group"
chmod 700 "$work/xdg"
for f in "$here"/*.service "$here"/*.socket; do sed "s|/usr/local/bin/todod|$bin|g" "$f" > "$work/system/$(basename "$f")"; done
cp "$work"/system/* "$work/group/" && cp -R "$here"/examples/*.d "$work/group/"
for f in "$here"/user/*.service "$here"/user/*.socket; do sed "s|/usr/local/bin/todod|$bin|g" "$f" > "$work/user/$(basename "$f")"; done

status=0
check_verify() { # $1 = label, rest = systemd-analyze args
    label=$1; shift
    out=$("$@" 2>&1) || { echo "FAIL verify ($label): exit status $?"; status=1; }
    if [ -n "$out" ]; then echo "FAIL verify ($label) printed:"; echo "$out"; status=1; else echo "ok   verify ($label)"; fi
}
check_score() { # $1 = label, rest = systemd-analyze args
    label=$1; shift
    line=$("$@" 2>&1 | grep 'Overall exposure level' || true)
    score=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
    if [ -z "$score" ]; then echo "FAIL security ($label): no score"; status=1; return; fi
    if awk "BEGIN { exit !($score <= 2.0) }"; then echo "ok   security ($label): $score"; else echo "FAIL security ($label): $score > 2.0"; status=1; fi
}

check_verify system systemd-analyze verify --man=no "$work"/system/*
check_verify "system + examples" systemd-analyze verify --man=no "$work"/group/*.service "$work"/group/*.socket
check_verify user env XDG_RUNTIME_DIR="$work/xdg" systemd-analyze --user verify --man=no "$work"/user/*
check_score system systemd-analyze security --offline=yes "$work/system/todod.service"
check_score "system + examples" systemd-analyze security --offline=yes "$work/group/todod.service"
check_score user env XDG_RUNTIME_DIR="$work/xdg" systemd-analyze --user security --offline=yes "$work/user/todod.service"
exit $status
