#!/usr/bin/env bash
# Builds the .deb with cpack from a built tree and checks it the way Debian would: lintian
# (fails on any error, lists everything else), desktop-file-validate (fails on any message,
# hints included), the files a Debian package must carry, and the stripped programs still run.
# Usage: check-package.sh BUILD_DIR OUTPUT_DIR
set -euo pipefail

build_dir="$(cd "$1" && pwd)"
output_dir="$2"
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

desktop_messages="$(desktop-file-validate "$source_dir/resources/pushchat.desktop" 2>&1)" ||
    true
if [ -n "$desktop_messages" ]; then
    fail "desktop-file-validate:"
    echo "$desktop_messages"
fi

rm -rf "$output_dir"
mkdir -p "$output_dir"
(cd "$build_dir" && cpack -G DEB -B "$output_dir" --config "$build_dir/CPackConfig.cmake") \
    >"$output_dir/cpack.log" 2>&1 || {
    cat "$output_dir/cpack.log"
    echo "FAIL: cpack"
    exit 1
}
debs=("$output_dir"/pushchat_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || {
    echo "FAIL: expected one pushchat_*.deb in $output_dir, found: ${debs[*]}"
    exit 1
}
deb="${debs[0]}"
echo "Package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB," \
    "installed $(dpkg-deb --field "$deb" Installed-Size) KiB"
echo "Depends: $(dpkg-deb --field "$deb" Depends)"

contents="$(dpkg-deb --contents "$deb" | awk '{print $6}')"
for path in ./usr/share/doc/pushchat/copyright ./usr/share/doc/pushchat/changelog.Debian.gz \
    ./usr/share/man/man1/pushchat.1.gz ./usr/share/man/man1/pushchat-server.1.gz \
    ./usr/share/man/man1/pushchat-cli.1.gz ./usr/share/applications/pushchat.desktop; do
    grep -qxF "$path" <<<"$contents" || fail "$path is not in the package"
done

# The stripped programs, as installed, still answer without a display.
unpacked="$output_dir/unpacked"
dpkg-deb --extract "$deb" "$unpacked"
for program in pushchat pushchat-server pushchat-cli; do
    version="$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen \
        "$unpacked/usr/bin/$program" --version 2>/dev/null)" || true
    [[ "$version" == "$program "* ]] || fail "$program --version printed '$version'"
done

# lintian refuses nothing as root but says so on stderr; the tags go to stdout.
lintian_status=0
lintian --fail-on error --display-info --tag-display-limit 0 --color never "$deb" \
    >"$output_dir/lintian.txt" 2>"$output_dir/lintian.stderr" || lintian_status=$?
cat "$output_dir/lintian.txt"
grep -v 'running with root privileges' "$output_dir/lintian.stderr" || true
errors=$(grep -c '^E: ' "$output_dir/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$output_dir/lintian.txt" || true)
echo "lintian: $errors error(s), $warnings warning(s)"
[ "$lintian_status" -eq 0 ] || fail "lintian exited with $lintian_status"

[ "$failures" -eq 0 ] || exit 1
echo "Package OK"
