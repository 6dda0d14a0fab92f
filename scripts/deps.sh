# Sourced by run.sh and test.sh: installs the Debian packages PushChat needs, only if missing.
# Usage: pushchat_install_deps build|test

pushchat_build_packages=(
    cmake ninja-build g++ pkg-config liburing-dev
    qt6-base-dev qt6-base-private-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools libqt6sql6-sqlite libgl-dev qt6-qpa-plugins fonts-noto-cjk help2man
    libqrencode-dev ccache
)
pushchat_test_packages=(
    xvfb xauth imagemagick chromium python3-tornado python3-websocket curl nodejs
    lintian dpkg-dev desktop-file-utils file binutils zbar-tools openssl
)

pushchat_install_deps() {
    local wanted=("${pushchat_build_packages[@]}")
    [ "${1:-build}" = test ] && wanted+=("${pushchat_test_packages[@]}")
    local missing=()
    local package
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

pushchat_build() {
    local build_dir="$1"
    shift
    if [ ! -f "$build_dir/build.ninja" ]; then
        # ccache (a build package) makes a rebuild in a fresh clone or build directory fast.
        local launcher=()
        command -v ccache >/dev/null &&
            launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
        cmake -S "$pushchat_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            "${launcher[@]}" "$@"
    fi
    cmake --build "$build_dir" -j2
}
