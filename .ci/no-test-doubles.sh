#!/usr/bin/env bash
# Proves at the `strings` level that shipped binaries carry no test double that could replace the assistant:
# no scripted/echo responder type, no TODOD_RESPONDER switch.
#   .ci/no-test-doubles.sh BINARY...
# Fails when a binary is missing, when `strings` finds nothing at all (the check would be vacuous), or on a match.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: .ci/no-test-doubles.sh BINARY..." >&2; exit 2; }
command -v strings >/dev/null || { echo "error: strings (binutils) is not installed" >&2; exit 1; }
FORBIDDEN='scripted-echo|ScriptedEcho|TODOD_RESPONDER'
status=0
for bin in "$@"; do
    [ -x "$bin" ] || { echo "error: $bin is not an executable" >&2; status=1; continue; }
    all=$(strings -a "$bin")
    # A sanity anchor: the real agent's configuration variable must be there, else strings saw nothing useful.
    grep -q 'TODOD_LLM_BASE_URL' <<<"$all" || { echo "error: strings of $bin lack TODOD_LLM_BASE_URL (wrong binary?)" >&2; status=1; continue; }
    if hits=$(grep -E -m 5 "$FORBIDDEN" <<<"$all"); then
        echo "FAIL: $bin contains test-double strings:" >&2
        echo "$hits" >&2
        status=1
    else
        echo "ok: strings $bin: no ${FORBIDDEN//|/, no } ($(wc -l <<<"$all") strings scanned)"
    fi
done
exit $status
