#!/usr/bin/env bash
# The binaries deploy alone: todod and todoctl linked with the static Swift runtime and installed (stripped)
# through scripts/install into a temp prefix, then
#   1. `ldd` lists nothing from the Swift toolchain and nothing "not found";
#   2. every library the binaries ask for themselves (ELF NEEDED) is one a Debian system has with libsystemd0
#      and libcurl4 (libc, libm, libstdc++, libgcc_s, libz, libsystemd, libcurl, the dynamic loader);
#   3. with the toolchain hidden (a private mount namespace with an empty tmpfs over it, so not even `swift`
#      is there), todod starts, answers GET /healthz, `todoctl status`, `todoctl add` and `list`, and stops
#      cleanly on `todoctl stop`.
#
#   Tests/Static/deploy_alone.sh          (root, or a kernel that allows unprivileged user namespaces)
#
# By default (CI) it relinks the debug build's objects with -static-stdlib (Tests/Static/relink_static.sh, about
# a minute for both) and installs them with `scripts/install --bin-dir`: the link is what is tested, and
# `swift build --static-swift-stdlib` recompiles every module (SwiftPM adds -static-stdlib to each compile), which
# on two cores is far beyond this test's ~3 minutes. STATIC_BUILD=release runs the README's install step itself
# (`scripts/install`, a full release build) instead. The debug build (`swift build --product todod` and
# `--product todoctl`) must exist; .build is left as it was.
# Prints "N passed, M failed" and exits 1 on any failure.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=${STATIC_BUILD:-relink}

passed=0 failed=0
t0=$(date +%s)
ok() { passed=$((passed + 1)); echo "ok   $1 ($(( $(date +%s) - t0 ))s)"; }
not_ok() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2} ($(( $(date +%s) - t0 ))s)"; }
finish() { echo "deploy alone: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

work=$(mktemp -d "${TMPDIR:-/tmp}/todod-static.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix="$work/usr"

# MARK: Build (relink or the full install step) and install
. "$repo/scripts/lib.sh"
ensure_debs libcurl4-openssl-dev >/dev/null || { not_ok "libcurl4-openssl-dev (the static link's -lcurl)"; finish; }
if [ "$mode" = release ]; then
    what="scripts/install (swift build -c release --static-swift-stdlib)"
    build=("$repo/scripts/install" --prefix "$prefix")
else
    what="debug objects relinked with -static-stdlib, installed by scripts/install --bin-dir"
    build=(bash -c '"$1/Tests/Static/relink_static.sh" "$2/bin" todod todoctl && "$1/scripts/install" --bin-dir "$2/bin" --prefix "$3"' _ "$repo" "$work" "$prefix")
fi
if "${build[@]}" >"$work/install.log" 2>&1; then
    ok "$what: $(grep -c '^installed ' "$work/install.log") binaries installed"
else
    not_ok "$what" "$(tail -15 "$work/install.log")"
    finish
fi

# MARK: What the binaries link
toolchain_usr=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
toolchain_root=$(dirname "$toolchain_usr")
allowed='^(libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1|libsystemd\.so\.0|libcurl\.so\.4|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libutil\.so\.1)$'
for product in todod todoctl; do
    binary="$prefix/bin/$product"
    libs=$(ldd "$binary" 2>&1)
    if grep -qE "$toolchain_usr/|not found|libswift|libFoundation|libdispatch|libBlocksRuntime" <<<"$libs"; then
        not_ok "ldd $product: nothing from the toolchain" "$(grep -E "$toolchain_usr/|not found|libswift|libFoundation|libdispatch" <<<"$libs" | head -5)"
    else
        ok "ldd $product: $(wc -l <<<"$libs") libraries, none from $toolchain_usr, none missing"
    fi
    needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    extra=$(grep -vE "$allowed" <<<"$needed" || true)
    if [ -n "$needed" ] && [ -z "$extra" ]; then ok "$product needs only $(tr '\n' ' ' <<<"$needed")"
    else not_ok "$product's NEEDED libraries" "unexpected: ${extra:-none listed}"; fi
    sections=$(readelf -S "$binary")
    if grep -qE '\.symtab' <<<"$sections"; then not_ok "$product is stripped" "it has a .symtab"
    else ok "$product is stripped ($(du -h "$binary" | cut -f1))"; fi
done

# MARK: Run with the toolchain hidden
# The inner part runs in a private mount namespace (as root; else as a mapped root in a user namespace) with an
# empty tmpfs over the toolchain's root, and prints ok/FAIL lines of its own.
if [ "$(id -u)" -eq 0 ]; then ns=(unshare --mount --propagation private)
else ns=(unshare --mount --propagation private --map-root-user); fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$toolchain_root" = / ] || [ "$toolchain_root" = /usr ]; then hide="$toolchain_usr/lib/swift"; else hide=$toolchain_root; fi
inner_out=$("${ns[@]}" env HIDE="$hide" PREFIX="$prefix" WORK="$work" PORT="$port" bash "$here/hidden_toolchain.sh" 2>&1)
status=$?
echo "$inner_out" | grep -E '^(ok|FAIL) ' | sed "s/^/  /"
inner_ok=$(grep -c '^ok ' <<<"$inner_out")
inner_failed=$(grep -c '^FAIL ' <<<"$inner_out")
if [ "$status" -eq 0 ] && [ "$inner_failed" -eq 0 ] && [ "$inner_ok" -gt 0 ]; then
    ok "with $hide hidden: $inner_ok checks passed"
else
    not_ok "with $hide hidden" "exit $status, $inner_failed failed; $(grep -vE '^(ok|FAIL) ' <<<"$inner_out" | tail -15)"
fi
finish
