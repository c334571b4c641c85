#!/usr/bin/env bash
# Browser tests of the todod UI: Debian's headless Chromium driven by Playwright for Python,
# against a real todod (temp data dir, free port) with Tests/Browser/scripted_llm.py as the model.
#
#   Tests/Browser/run.sh [pytest args…]
#
# Environment: BROWSER_VENV (default ${TMPDIR:-/tmp}/todod-venv-browser), CHROMIUM (default
# /usr/bin/chromium), TODOD_BIN_DIR (default .build/debug; built here when missing),
# ARTIFACTS_DIR (screenshots and figures.json; default /tmp/todod-artifacts),
# TODOD_UI_BACKEND=mock to run against Tests/Browser/mock_api.py instead of todod.
# A missing Chromium that cannot be installed here is a failure (exit 1), never a skip.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${BROWSER_VENV:-${TMPDIR:-/tmp}/todod-venv-browser}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM PYTHONDONTWRITEBYTECODE=1

# MARK: Chromium (Debian's package; Playwright's own browser download is never used)
if [ ! -x "$CHROMIUM" ] && command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="$(command -v sudo || true)"
    if [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; then
        echo "browser tests: installing chromium with apt-get" >&2
        { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } >&2 || true
    fi
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "FAIL: browser tests cannot run: $CHROMIUM is missing and chromium could not be installed with apt-get" >&2
    echo "      install it (sudo apt-get install -y chromium) or set CHROMIUM to a Chromium binary" >&2
    exit 1
fi

# MARK: Python environment
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import playwright, pytest" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "playwright==1.65.2" "pytest==9.2.0" >&2
fi

# MARK: Binaries
if [ "${TODOD_UI_BACKEND:-daemon}" = daemon ] && [ -z "${TODOD_BIN_DIR:-}" ]; then
    if [ ! -x "$REPO/.build/debug/todod" ] || [ ! -x "$REPO/.build/debug/todoctl" ]; then
        (cd "$REPO" && swift build --product todod >&2 && swift build --product todoctl >&2)
    fi
fi

cd "$HERE"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
