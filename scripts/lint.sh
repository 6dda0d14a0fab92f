#!/usr/bin/env bash
# clang-tidy (the checks in .clang-tidy) over the product code: common/, server/, client/, app/.
# Needs a configured build directory for compile_commands.json (default: build-tests, which
# `bash scripts/test.sh` makes). Exits non-zero on any finding.
# Usage: bash scripts/lint.sh [build-dir] [file…]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-tests}"
shift || true
[ -f "$build/compile_commands.json" ] || {
    echo "no $build/compile_commands.json: run bash scripts/test.sh first" >&2
    exit 2
}
command -v clang-tidy-14 >/dev/null || apt-get install -y -q --no-install-recommends clang-tidy-14
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    mapfile -t files < <(cd "$root" && git ls-files 'common/*.cpp' 'server/*.cpp' 'client/*.cpp' \
        'client/cli/*.cpp' 'app/*.cpp')
fi
# Unused private fields, and the rest of clang's -Wall/-Wextra, reported by clang itself.
run-clang-tidy -clang-tidy-binary clang-tidy-14 -p "$build" -quiet -j "$(nproc)" \
    -extra-arg=-Wunused-private-field -extra-arg=-Wunused-member-function \
    "${files[@]/#/$root/}" 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g" | tee /tmp/pushchat-lint.log |
    grep -E '(warning|error):' | sort -u > /tmp/pushchat-lint-findings.txt || true
if [ -s /tmp/pushchat-lint-findings.txt ]; then
    cat /tmp/pushchat-lint-findings.txt
    echo "$(wc -l </tmp/pushchat-lint-findings.txt) finding(s)" >&2
    exit 1
fi
echo "clang-tidy: no findings in ${#files[@]} files"
