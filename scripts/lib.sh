# Shared helpers for scripts/run and scripts/test (sourced, not executed).

# ensure_debs PKG... : installs missing Debian packages when root, else says exactly what to run.
ensure_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "==> installing ${missing[*]} (apt-get)" >&2
        if [ -z "${TODOD_APT_UPDATED:-}" ]; then
            apt-get update -qq >&2 || { echo "apt-get update failed" >&2; return 1; }
            export TODOD_APT_UPDATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || {
            echo "error: could not install ${missing[*]}" >&2; return 1; }
    else
        echo "error: missing Debian packages: ${missing[*]}" >&2
        echo "       install them with: sudo apt-get install -y ${missing[*]}" >&2
        return 1
    fi
}

# ensure_swift : fails with a clear message when the Swift toolchain is not on PATH.
ensure_swift() {
    command -v swift >/dev/null || {
        echo "error: 'swift' is not on PATH; install Swift 6.1 or newer from swift.org" >&2; return 1; }
}
