#!/bin/sh
# Memory the server's history takes per stored message: RSS and minor page faults a server
# with --history 100000 gains over MESSAGES single-client WebSocket messages (after 10 that
# warm up its paths), read from /proc/<pid>.
#
#   bench/history-memory.sh [server-binary] [messages=20000]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/wait-for-server.sh"
server=${1:-$here/../build/server/pushchat-server}
messages=${2:-20000}
bench=${BENCH:-$here/../build/bench/pushchat-bench}
port=${PORT:-8798}
url=http://127.0.0.1:$port/
log=$(mktemp)

"$server" --port "$port" --bind 127.0.0.1 --rate-limit 0 --history 100000 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
wait_for_server "$log" "$url" 10
send() {
    "$bench" --url "$url" --technique ws --clients 1 --messages "$1" --rate 0 --senders 1 \
        >/dev/null
}
rss() { awk '/^VmRSS/ { print $2 }' /proc/$pid/status; }
faults() { awk '{ print $10 }' /proc/$pid/stat; }

send 10
rss0=$(rss)
faults0=$(faults)
send "$messages"
rss1=$(rss)
faults1=$(faults)
echo "RSS +$((rss1 - rss0)) KiB over $messages messages: $(((rss1 - rss0) * 1024 / messages)) bytes" \
    "per message; minor faults +$((faults1 - faults0))"
