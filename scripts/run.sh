#!/usr/bin/env bash
# Installs what is missing, builds the desktop app (and nothing else: no tests, no benchmark
# tools) and starts it hosting a room. Extra arguments go to the program, e.g.
# `bash scripts/run.sh --port 9000 --nick alice`.
set -euo pipefail
pushchat_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$pushchat_root/scripts/deps.sh"
pushchat_install_deps build
build_dir="$pushchat_root/build-run"
if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$pushchat_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPUSHCHAT_BUILD_TESTS=OFF
fi
# Without Qt Widgets there is no desktop app (app/CMakeLists.txt): host with the plain server.
if cmake --build "$build_dir" --target help | grep -q '^pushchat:'; then
    cmake --build "$build_dir" -j"$(nproc)" --target pushchat
    exec "$build_dir/app/pushchat" --host "$@"
fi
cmake --build "$build_dir" -j"$(nproc)" --target pushchat-server
exec "$build_dir/server/pushchat-server" "$@"
