#!/bin/sh
# User-space instructions the server spends per message in the single-client WebSocket
# scenario, counted by callgrind (exact and repeatable where CPU time on a shared machine is
# not). A first connection with 10 messages warms up (it loads Qt's TLS backend and the
# message paths); only the following MESSAGES are counted.
#
#   bench/callgrind-single.sh [server-binary] [messages=2000]
#   TECHNIQUE=poll bench/callgrind-single.sh [server-binary] [messages=20]
#
# With TECHNIQUE=poll, the single short-polling client instead (a poll every 200 ms: two
# requests per message, a post and the poll that brings it back).
#
# Prints the instruction total and per message; the profile stays in $OUT.1 for
# callgrind_annotate (default OUT=/tmp/pushchat-callgrind.out).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/wait-for-server.sh"
server=${1:-$here/../build/server/pushchat-server}
technique=${TECHNIQUE:-ws}
if [ "$technique" = poll ]; then
    messages=${2:-20}
    options="--technique poll --poll-interval 200"
else
    messages=${2:-2000}
    options="--technique ws"
fi
bench=${BENCH:-$here/../build/bench/pushchat-bench}
out=${OUT:-/tmp/pushchat-callgrind.out}
port=${PORT:-8797}
url=http://127.0.0.1:$port/

rm -f "$out" "$out".*
log=$out.log
valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$server" --port "$port" --bind 127.0.0.1 --rate-limit 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
# Under callgrind the server takes seconds to start; a client that comes too early waits long.
wait_for_server "$log" "$url" 120
"$bench" --url "$url" $options --clients 1 --messages 10 --rate 0 --senders 1 >/dev/null
callgrind_control -z $pid >/dev/null
"$bench" --url "$url" $options --clients 1 --messages "$messages" --rate 0 --senders 1 \
    >/dev/null
callgrind_control -d $pid >/dev/null
total=$(callgrind_annotate "$out.1" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "$total instructions for $messages messages: $((total / messages)) per message"
