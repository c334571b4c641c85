#!/usr/bin/env bash
# Runs ../shared/chatkit/conformance.py --strict against a freshly built todod: the real agent (production
# path) in front of Tests/Browser/scripted_llm.py, a scripted OpenAI-compatible model server on loopback.
#   .ci/conformance.sh SHARED_CHATKIT_DIR
# The checker's pinned Python packages go into .build/venv-chatkit.
set -euo pipefail
cd "$(dirname "$0")/.."
CHATKIT="$(cd "${1:?usage: .ci/conformance.sh SHARED_CHATKIT_DIR}" && pwd)"
VENV="$PWD/.build/venv-chatkit"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import chatkit, httpx" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$CHATKIT/requirements.txt"
fi
BIN="$(swift build --show-bin-path)"
PYTHON="$VENV/bin/python" SHARED="$(dirname "$CHATKIT")" Tests/Interop/chatkit/conformance_todod.sh "$BIN/todod" "$BIN/todoctl"
