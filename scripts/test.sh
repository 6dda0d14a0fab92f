#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
set -euo pipefail
pushchat_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$pushchat_root/scripts/deps.sh"
pushchat_install_deps test
if [ -f "$pushchat_root/tests/browser/package.json" ]; then
    (cd "$pushchat_root/tests/browser" &&
        { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })
fi
pushchat_build "$pushchat_root/build-tests"
export QT_QPA_PLATFORM=offscreen
cd "$pushchat_root/build-tests"
ctest --output-on-failure -j2 --timeout 600 "$@"
