# free_port [AVOID]: a loopback TCP port no socket uses (listening, connected or in TIME_WAIT),
# from 20000 up to the start of the kernel's ephemeral range, so that no outgoing connection
# takes it before the server binds it; never AVOID. Sourced by scripts/virtuoso.sh and the
# benches.
free_port() {
    local port avoid=${1:-0} i top
    top=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$top" -gt 21000 ] 2>/dev/null || top=32768
    for i in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % (top - 20000)))
        [ "$port" = "$avoid" ] && continue
        if [ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}
