# Sourced by the bench scripts. wait_for_server LOG URL SECONDS: waits until the server writing
# LOG has printed its URL (it listens then), or gives up after SECONDS.
wait_for_server() {
    tries=0
    until grep -q "$2" "$1" 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -lt $(($3 * 10)) ] || { echo "server did not come up" >&2; exit 1; }
        sleep 0.1
    done
}
