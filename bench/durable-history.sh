#!/bin/sh
# Durable history (issue 15): the burst, fan-out and single-client scenarios with the history in
# memory against --store (synchronous FULL, the default, and NORMAL), alternating, REPEAT times.
#
#   bench/durable-history.sh [build-dir]       # default: build
#
# Environment: REPEAT=n (default 3); STORE_DIR (default: build-dir/bench-store, on the disk the
# build is on: a store on tmpfs measures nothing); EXTRA_SERVER="label=/path/to/pushchat-server"
# adds another server binary in memory mode (e.g. a build from before the journal);
# OUT=file.jsonl. Prints one summary line per run; summarize.py reads the JSON lines.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bench=$build/bench/pushchat-bench
server=$build/server/pushchat-server
out=${OUT:-$build/durable-history.jsonl}
repeat=${REPEAT:-3}
store_dir=${STORE_DIR:-$build/bench-store}
mkdir -p "$store_dir"
: >"$out"

base="--port 0 --bind 127.0.0.1 --rate-limit 0"

# run LABEL COMMAND SCENARIO ARGS…
run() {
    label=$1 cmd=$2 scenario=$3
    shift 3
    rm -f "$store_dir"/bench.sqlite*
    "$bench" --label "$label" --server-cmd "$cmd" "$@" 2>/dev/null |
        grep '^{' | sed "s/^{/{\"scenario\":\"$scenario\",/" | tee -a "$out" |
        python3 -c 'import json,sys
r=json.loads(sys.stdin.read())
print("%-16s %-10s %-8s p50 %7.2f ms  p99 %7.2f ms  server CPU %7.1f us/delivered  post p99 %7.2f ms  lost %d" % (r["scenario"], r["label"], r["technique"], r["latency_ms"]["p50"], r["latency_ms"]["p99"], r["server_cpu_us_per_delivered"], r["post_ms"]["p99"], r["undelivered"]))'
}

i=0
while [ "$i" -lt "$repeat" ]; do
    for variant in memory full normal extra; do
        case $variant in
        memory) label=memory cmd="$server $base" ;;
        full) label=store-full cmd="$server $base --store $store_dir/bench.sqlite" ;;
        normal) label=store-normal cmd="$server $base --store $store_dir/bench.sqlite --store-sync normal" ;;
        extra)
            [ -n "${EXTRA_SERVER:-}" ] || continue
            label=${EXTRA_SERVER%%=*} cmd="${EXTRA_SERVER#*=} $base"
            ;;
        esac
        run "$label" "$cmd" single --technique ws --clients 1 --messages 1000 --rate 0 --senders 1
        for t in ws longpoll; do
            run "$label" "$cmd" burst --technique "$t" --clients 100 --messages 2000 --rate 1000
        done
        run "$label" "$cmd" fanout-1000 --technique ws --clients 1000 --messages 10 --rate 1 \
            --source-addresses 4
    done
    i=$((i + 1))
done
echo "results: $out" >&2
