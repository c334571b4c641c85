#!/usr/bin/env bash
# Relinks already-built executables with the static Swift runtime, into another directory:
#   [CONFIG=release] Tests/Static/relink_static.sh OUT_DIR PRODUCT...   (CONFIG: debug, the default, or release)
# Why not `swift build --static-swift-stdlib`: SwiftPM then also compiles every module with -static-stdlib, so the
# first such build recompiles the whole graph (minutes on two cores, and again for the next plain build). What
# makes a binary deploy alone is its link, so this runs SwiftPM's own link command for PRODUCT (from the build
# manifest .build/debug.yaml) with `-o OUT_DIR/PRODUCT` and `-static-stdlib` added, plus, in one linker group, the
# libraries that the static Foundation modules name (read from the autolink entries of a one-line probe compiled
# with -static-stdlib: FoundationNetworking's _CFURLSessionInterface and curl, CoreFoundation, _FoundationICU, ...),
# which objects compiled for the shared runtime do not name. The release binaries are built by scripts/install
# with `swift build -c release --static-swift-stdlib`.
set -euo pipefail
out=${1:?usage: relink_static.sh OUT_DIR PRODUCT...}; shift
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=${CONFIG:-debug}
case "$config" in debug|release) ;; *) echo "relink_static: CONFIG must be debug or release, not $config" >&2; exit 2 ;; esac
manifest=$repo/.build/$config.yaml
[ -f "$manifest" ] || { echo "relink_static: $manifest is missing (swift build first)" >&2; exit 1; }
mkdir -p "$out"
probe=$(mktemp -d "${TMPDIR:-/tmp}/todod-probe.XXXXXX")
trap 'rm -rf "$probe"' EXIT
printf 'import Foundation\nimport FoundationNetworking\npublic func probe() -> URLSession { URLSession.shared }\n' \
    > "$probe/probe.swift"
swiftc -static-stdlib -parse-as-library -c "$probe/probe.swift" -o "$probe/probe.o"
entries=$(readelf -p .swift1_autolink_entries "$probe/probe.o" | tr -c '[:print:]\n' '\n')
mapfile -t libs < <(grep -oE -- '-l[^ ]+' <<<"$entries" | awk '!seen[$0]++')
[ ${#libs[@]} -gt 0 ] || { echo "relink_static: the probe named no libraries" >&2; exit 1; }
for product in "$@"; do
    mapfile -t args < <(python3 - "$manifest" "$product" "$config" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
match = re.search(r'^  "C\.' + re.escape(sys.argv[2]) + r'-[^"]*-' + sys.argv[3] + r'\.exe":$', text, re.M)
if not match:
    sys.exit(f"relink_static: no link command for {sys.argv[2]} in {sys.argv[1]}")
line = next(l for l in text[match.end():].split("\n") if l.strip().startswith("args:"))
print("\n".join(json.loads(line.strip()[len("args:"):])))
PY
    )
    [ ${#args[@]} -gt 3 ] || { echo "relink_static: no link command for $product" >&2; exit 1; }
    for i in "${!args[@]}"; do [ "${args[$i]}" = -o ] && args[$((i + 1))]=$out/$product; done
    echo "==> linking $out/$product with -static-stdlib" >&2
    "${args[@]}" -static-stdlib -Xlinker --start-group "${libs[@]}" -Xlinker --end-group
done
