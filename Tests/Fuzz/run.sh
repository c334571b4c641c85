#!/usr/bin/env bash
# Builds each libFuzzer harness and fuzzes it for SECONDS on a copy of its seed corpus.
#   Tests/Fuzz/run.sh SECONDS [HARNESS...]      (default harnesses: FuzzRecordDecoder FuzzControlLine)
# Harness X lives in Tests/Fuzz/<X without "Fuzz">/ and its committed corpus in
# Tests/*/Fixtures/fuzz-corpus/<lowercased name>/ (record for RecordDecoder, control-line for ControlLine).
# Fails (exit 1) on any crash, leak or timeout; the reproducer is kept in $FUZZ_OUT (default .build-fuzz/findings).
# Traps handled (RELIABILITY.md §c): targets exist only with TODO_FUZZ=1; SWIFT_BACKTRACE=enable=no so the
# crash reaches libFuzzer; a separate --scratch-path so the normal .build is untouched.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_HARNESS="${1:?usage: Tests/Fuzz/run.sh SECONDS [HARNESS...]}"
shift
HARNESSES=("$@")
[ ${#HARNESSES[@]} -eq 0 ] && HARNESSES=(FuzzRecordDecoder FuzzControlLine)
SCRATCH="${FUZZ_SCRATCH:-.build-fuzz}"
OUT="${FUZZ_OUT:-$SCRATCH/findings}"
mkdir -p "$OUT"
export SWIFT_BACKTRACE=enable=no

# The seed corpus of a harness: a known location, else Tests/*/Fixtures/fuzz-corpus/<name> where <name> is the
# harness name without "Fuzz", lowercased (FuzzControlLine -> controlline), or with dashes (control-line).
corpus_for() {
    case "$1" in
        FuzzRecordDecoder) echo "Tests/TodoStoreTests/Fixtures/fuzz-corpus/record"; return ;;
    esac
    local base="${1#Fuzz}"
    local lower dashed
    lower="$(echo "$base" | tr '[:upper:]' '[:lower:]')"
    dashed="$(echo "$base" | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr '[:upper:]' '[:lower:]')"
    for d in Tests/*/Fixtures/fuzz-corpus/"$lower" Tests/*/Fixtures/fuzz-corpus/"$dashed"; do
        if [ -d "$d" ]; then echo "$d"; return; fi
    done
    echo ""
}

status=0
for h in "${HARNESSES[@]}"; do
    echo "== $h: building (TODO_FUZZ=1 swift build --sanitize=fuzzer)"
    TODO_FUZZ=1 swift build --sanitize=fuzzer --product "$h" --scratch-path "$SCRATCH" 2>&1 | tail -n 5
    bin="$(TODO_FUZZ=1 swift build --sanitize=fuzzer --product "$h" --scratch-path "$SCRATCH" --show-bin-path)/$h"
    work="$(mktemp -d "${TMPDIR:-/tmp}/todod-fuzz-$h.XXXXXX")"
    seeds="$(corpus_for "$h")"
    if [ -n "$seeds" ] && [ -d "$seeds" ]; then cp -R "$seeds/." "$work/"; else echo "   (no seed corpus at '$seeds')"; fi
    echo "== $h: fuzzing for ${SECONDS_PER_HARNESS}s on $(ls "$work" | wc -l) seeds"
    if "$bin" "$work" -max_total_time="$SECONDS_PER_HARNESS" -max_len=4096 -timeout=10 \
        -artifact_prefix="$OUT/$h-" -print_final_stats=1 > "$OUT/$h.log" 2>&1; then
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$OUT/$h.log" | sed "s/^/   /" || true
        echo "== $h: no crash"
    else
        echo "== $h: FAILED (see $OUT/$h.log; reproducer: $(ls "$OUT"/$h-* 2>/dev/null | head -n 1))"
        tail -n 30 "$OUT/$h.log"
        status=1
    fi
    rm -rf "$work"
done
exit $status
