#!/usr/bin/env bash
# Screenshots of the real desktop app under Xvfb, into docs/:
#   docs/screenshot-host.png       the host's window with a few messages
#   docs/screenshot-inspector.png  a guest's inspector and timeline after the three modes
#   docs/screenshot-compare.png    the compare view on a 1280×720 screen, the bot sending 2/s
#   docs/screenshot-compare-1080p.png  the same on a 1920×1080 screen
#   docs/screenshot-present-720p.png   presentation mode (--present) with the join banner and the
#   docs/screenshot-present-1080p.png  compare view, at 1280×720 and 1920×1080
#   docs/screenshot-present-chat-720p.png  presentation mode on the chat page at 1280×720
#   docs/screenshot-zh-720p.png    the chat page in Simplified Chinese on a 1280×720 screen
#   docs/screenshot-compare-zh-720p.png  the compare view in Chinese, 1280×720
#   docs/screenshot-scaled-720p.png  the chat page while hosting, QT_SCALE_FACTOR=1.5 at 1280×720
#   docs/screenshot-faults-720p.png, docs/screenshot-faults-zh-720p.png  a guest's compare view
#                                  marking the faults of a headless server's --fault-script
# Needs xvfb-run, ImageMagick (import) and curl; builds first if needed.
# Usage: bash scripts/screenshots.sh [build-dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
if [ -z "${PUSHCHAT_IN_XVFB:-}" ]; then
    if [ ! -x "$build/app/pushchat" ]; then
        cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
        cmake --build "$build" -j2 --target pushchat
    fi
    PUSHCHAT_IN_XVFB=window xvfb-run -a -s '-screen 0 1400x900x24' bash "${BASH_SOURCE[0]}" "$build"
    # The compare view and presentation mode on a projector's screen and on a full-HD one.
    for size in 1280x720 1920x1080; do
        PUSHCHAT_IN_XVFB=compare PUSHCHAT_SCREEN=$size xvfb-run -a -s "-screen 0 ${size}x24" \
            bash "${BASH_SOURCE[0]}" "$build"
        PUSHCHAT_IN_XVFB=present PUSHCHAT_SCREEN=$size xvfb-run -a -s "-screen 0 ${size}x24" \
            bash "${BASH_SOURCE[0]}" "$build"
    done
    # The projector's screen in Chinese, the language chosen by the system's locale.
    PUSHCHAT_IN_XVFB=zh xvfb-run -a -s '-screen 0 1280x720x24' bash "${BASH_SOURCE[0]}" "$build"
    PUSHCHAT_IN_XVFB=present-chat xvfb-run -a -s '-screen 0 1280x720x24' \
        bash "${BASH_SOURCE[0]}" "$build"
    # A guest's compare view marking the faults a headless server's script does, both languages.
    PUSHCHAT_IN_XVFB=faults xvfb-run -a -s '-screen 0 1280x720x24' bash "${BASH_SOURCE[0]}" "$build"
    PUSHCHAT_IN_XVFB=faults PUSHCHAT_LANG=zh_CN xvfb-run -a -s '-screen 0 1280x720x24' \
        bash "${BASH_SOURCE[0]}" "$build"
    # The projector with the desktop scaled to 150 %.
    PUSHCHAT_IN_XVFB=scaled QT_SCALE_FACTOR=1.5 xvfb-run -a -s '-screen 0 1280x720x24' \
        bash "${BASH_SOURCE[0]}" "$build"
    exit 0
fi

# Inside Xvfb from here on.
app="$build/app/pushchat"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Keep the user's remembered start screen values out of it.
export XDG_CONFIG_HOME="$work/config"
# And the hosted rooms' stored histories: every shot starts from an empty room.
export XDG_DATA_HOME="$work/data"
# The server cost panel open, as a teacher showing the cost leaves it.
mkdir -p "$XDG_CONFIG_HOME/PushChat"
printf '[serverCost]\nexpanded=true\n' >"$XDG_CONFIG_HOME/PushChat/pushchat.conf"
export QT_QPA_PLATFORM=xcb
export LANG=C.UTF-8

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

post() { # nick text
    curl -s -o /dev/null --data-urlencode "nick=$1" --data-urlencode "text=$2" \
        "$url/api/messages?via=polling"
}
wait_for_room() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "$url/api/room" && return 0
        sleep 0.1
    done
    echo "the room did not come up on $url" >&2
    exit 1
}
shoot() { # file
    import -window root -crop 1360x860+0+0 +repage "$root/docs/$1"
    echo "wrote docs/$1"
}

if [ "$PUSHCHAT_IN_XVFB" = zh ]; then
    export LANG=zh_CN.UTF-8
    "$app" --host --port "$port" --room "四年级二班" --nick 王老师 --mode longpoll \
        >"$work/zh.log" 2>&1 &
    pids+=($!)
    wait_for_room
    sleep 1
    post 小明 "大家好！这是网络课的聊天室吗？"
    sleep 0.3
    post 小红 "是的！试试切换上面的方式，看看检查器里的数字。"
    sleep 0.3
    post 王老师 "先看轮询：注意有多少请求是空手而归的。"
    sleep 0.3
    post 小明 "长轮询会等新消息；WebSocket 一直开着一条连接。"
    sleep 2
    import -window root "$root/docs/screenshot-zh-720p.png"
    echo "wrote docs/screenshot-zh-720p.png"
    kill "${pids[@]}"
    wait 2>/dev/null || true
    pids=()
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
    url="http://127.0.0.1:$port"
    "$app" --host --port "$port" --room "四年级二班" --nick 王老师 --interval 1000 \
        --compare --bot 2 >"$work/zh-compare.log" 2>&1 &
    pids+=($!)
    wait_for_room
    sleep 14
    import -window root "$root/docs/screenshot-compare-zh-720p.png"
    echo "wrote docs/screenshot-compare-zh-720p.png"
    exit 0
fi

if [ "$PUSHCHAT_IN_XVFB" = faults ]; then
    # Latency 800 ms, then a drop, then no latency: the marks line up across the three lanes.
    printf '2s latency 800\n7s drop\n10s latency 0\n' >"$work/faults.txt"
    "$build/server/pushchat-server" --port "$port" --bind 127.0.0.1 --name "Class 4B" \
        --rate-exempt-loopback --fault-script "$work/faults.txt" >"$work/server.log" 2>&1 &
    pids+=($!)
    wait_for_room
    lang=${PUSHCHAT_LANG:-en}
    file=screenshot-faults-720p.png
    [ "$lang" = en ] || file=screenshot-faults-zh-720p.png
    "$app" --join "$url" --nick student --interval 1000 --bot 2 --lang "$lang" \
        >"$work/faults.log" 2>&1 &
    pids+=($!)
    sleep 15
    import -window root "$root/docs/$file"
    echo "wrote docs/$file"
    exit 0
fi

if [ "$PUSHCHAT_IN_XVFB" = scaled ]; then
    "$app" --host --port "$port" --room "Class 4B" --nick teacher --interval 1000 \
        >"$work/scaled.log" 2>&1 &
    pids+=($!)
    wait_for_room
    post alice "Hi! Is this the networking class?"
    sleep 0.3
    post bob "Yes, try the three modes and watch the timeline."
    sleep 4
    import -window root "$root/docs/screenshot-scaled-720p.png"
    echo "wrote docs/screenshot-scaled-720p.png"
    exit 0
fi

if [ "$PUSHCHAT_IN_XVFB" = compare ] || [ "$PUSHCHAT_IN_XVFB" = present ]; then
    # Three observers (polling every second, long polling, WebSocket) and the bot at 2 msg/s;
    # 14 s in, the timeline holds enough to compare.
    extra=()
    case "$PUSHCHAT_IN_XVFB-$PUSHCHAT_SCREEN" in
        compare-1280x720) file=screenshot-compare.png ;;
        compare-*) file=screenshot-compare-1080p.png ;;
        present-1280x720) file=screenshot-present-720p.png; extra=(--present) ;;
        present-*) file=screenshot-present-1080p.png; extra=(--present) ;;
    esac
    "$app" --host --port "$port" --room "Class 4B" --nick teacher --interval 1000 \
        --compare --bot 2 "${extra[@]}" >"$work/compare.log" 2>&1 &
    pids+=($!)
    wait_for_room
    sleep 14
    import -window root "$root/docs/$file"
    echo "wrote docs/$file"
    exit 0
fi

present=()
[ "$PUSHCHAT_IN_XVFB" = present-chat ] && present=(--present)
"$app" --host --port "$port" --room "Class 4B" --nick alice --mode ws "${present[@]}" \
    >"$work/host.log" 2>&1 &
pids+=($!)
wait_for_room
sleep 1
post bob "Hi everyone — is this the room for the networking lesson?"
sleep 0.3
post carol "Yes! Try switching the mode at the top and watch the inspector."
sleep 0.3
post alice "Welcome. Polling first: watch how many requests come back empty."
sleep 0.3
post bob "<b>This is not bold</b> — text always shows exactly as typed."
sleep 0.3
post carol "Long polling waits for news; WebSocket keeps one connection open."
sleep 2.5
if [ "$PUSHCHAT_IN_XVFB" = present-chat ]; then
    import -window root "$root/docs/screenshot-present-chat-720p.png"
    echo "wrote docs/screenshot-present-chat-720p.png"
    exit 0
fi
shoot screenshot-host.png

# A guest that tours the three modes while people keep chatting.
"$app" --join "$url" --nick dana --mode poll --interval 250 --tour 5 >"$work/guest.log" 2>&1 &
pids+=($!)
# Polling for 5 s, long polling for 5 s, then WebSocket: shoot 3 s into WebSocket.
for i in $(seq 1 13); do
    sleep 1
    case $((i % 4)) in
        0) post bob "message $i from bob" ;;
        2) post carol "message $i from carol" ;;
    esac
done
shoot screenshot-inspector.png
