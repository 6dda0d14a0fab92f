#!/usr/bin/env bash
# Installs what is missing, builds, and starts PushChat hosting a room. Extra arguments go to
# the program, e.g. `bash scripts/run.sh --port 9000`.
set -euo pipefail
pushchat_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$pushchat_root/scripts/deps.sh"
pushchat_install_deps build
pushchat_build "$pushchat_root/build"
if [ -x "$pushchat_root/build/app/pushchat" ]; then
    exec "$pushchat_root/build/app/pushchat" --host "$@"
fi
exec "$pushchat_root/build/server/pushchat-server" "$@"
