#!/bin/sh
# Every scenario of issue 5, each against PushChat and then the Tornado reference, back to back.
#
#   bench/run-all.sh [build-dir]        # default: build
#
# Environment: REPEAT=n runs each scenario n times (default 1); SCENARIOS="idle fanout burst
# single big" picks some; FANOUT_SIZES="100 1000 5000"; FANOUT_MESSAGES=10; TECHNIQUES="poll
# longpoll ws" (fan-out only); OUT=file.jsonl.
# Each run prints its table; the JSON lines go to $OUT, summarised at the end by summarize.py.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bench=$build/bench/pushchat-bench
server=$build/server/pushchat-server
python=/usr/bin/python3 # Debian's, with python3-tornado (not a pyenv one)
out=${OUT:-$build/bench-results.jsonl}
repeat=${REPEAT:-1}
scenarios=${SCENARIOS:-"idle fanout burst single big"}
fanout_sizes=${FANOUT_SIZES:-"100 1000 5000"}
fanout_messages=${FANOUT_MESSAGES:-10}
techniques=${TECHNIQUES:-"poll longpoll ws"}

pushchat_cmd="$server --port 0 --bind 127.0.0.1 --rate-limit 0"
tornado_cmd="$python $here/peers/tornado_server.py --port 0 --bind 127.0.0.1"
: >"$out"
failed=0

# run SCENARIO ARGS…: PushChat then Tornado, same arguments.
run() {
    scenario=$1
    shift
    i=0
    while [ "$i" -lt "$repeat" ]; do
        for side in pushchat tornado; do
            if [ "$side" = pushchat ]; then cmd=$pushchat_cmd; else cmd=$tornado_cmd; fi
            echo "== $scenario $side: $*" >&2
            if ! "$bench" --label "$side" --server-cmd "$cmd" "$@" >"$out.tmp" 2>"$out.err"; then
                failed=$((failed + 1))
                echo "!! $scenario $side failed:" >&2
                cat "$out.err" >&2
            fi
            grep -v '^{' "$out.tmp" >&2 || true
            grep '^{' "$out.tmp" | sed "s/^{/{\"scenario\":\"$scenario\",/" >>"$out" || true
        done
        i=$((i + 1))
    done
}

for scenario in $scenarios; do
    case $scenario in
    idle)
        for t in poll longpoll ws; do
            run idle --technique "$t" --clients 1000 --messages 0 --idle 30
        done
        ;;
    fanout)
        for n in $fanout_sizes; do
            for t in $techniques; do
                run "fanout-$n" --technique "$t" --clients "$n" --messages "$fanout_messages" \
                    --rate 1 --source-addresses 4
            done
        done
        ;;
    burst)
        for t in poll longpoll ws; do
            run burst --technique "$t" --clients 100 --messages 2000 --rate 1000
        done
        ;;
    single)
        # Short polling waits for the next poll (0.5 s on average): 40 messages, each sent at a random point of the poll cycle.
        run single --technique poll --clients 1 --messages 40 --rate 0 --senders 1
        for t in longpoll ws; do
            run single --technique "$t" --clients 1 --messages 1000 --rate 0 --senders 1
        done
        ;;
    big)
        run fanout-10000 --technique ws --clients 10000 --messages "$fanout_messages" --rate 1 \
            --source-addresses 4
        ;;
    esac
done
rm -f "$out.tmp" "$out.err"
"$python" "$here/summarize.py" "$out"
echo "results: $out; failed runs: $failed" >&2
[ "$failed" -eq 0 ]
