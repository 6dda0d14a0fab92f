#!/usr/bin/env bash
# The long soak test of issue 15 (docs/RELIABILITY.md): 20 clients, random transports, switches,
# disconnects and dropped connections while 10,000 messages are posted; with a server that has
# --store, killed with SIGKILL and restarted twice in the middle.
#
#   bash scripts/soak.sh                 # 10,000 messages, a random seed (printed)
#   bash scripts/soak.sh 20000 12345     # 20,000 messages, seed 12345 (to repeat a run)
#
# The build directory is ./build unless PUSHCHAT_BUILD_DIR says otherwise.
set -euo pipefail
pushchat_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$pushchat_root/scripts/deps.sh"
pushchat_install_deps build
build_dir="${PUSHCHAT_BUILD_DIR:-$pushchat_root/build}"
if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$pushchat_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build_dir" -j2 --target tst_soak pushchat-server
export QT_QPA_PLATFORM=offscreen
export PUSHCHAT_SOAK_MESSAGES="${1:-10000}"
if [ -n "${2:-}" ]; then export PUSHCHAT_SOAK_SEED="$2"; fi
exec "$build_dir/tests/tst_soak"
