# shellcheck shell=bash disable=SC2034 # sourced by scripts/infra, which uses the variables defined here
# Redis from the OS packages: 127.0.0.1 only, a password (the shape Aspire's connection string has), no persistence.

REDIS_PORT="${SANDBOX_REDIS_PORT:-63790}"
REDIS_PASSWORD_NAME=redis.password
REDIS_CONF="$SANDBOX/redis.conf"
REDIS_PIDFILE="$RUN_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"

redis_prerequisites() {
    local ok=0
    if ! command -v redis-server >/dev/null 2>&1; then
        say "redis-server not found: install it with 'sudo apt-get install redis-server' (macOS: 'brew install redis')"
        ok=1
    fi
    if ! command -v redis-cli >/dev/null 2>&1; then
        say "redis-cli not found: install it with 'sudo apt-get install redis-tools' (macOS: 'brew install redis')"
        ok=1
    fi
    return "$ok"
}

redis_pid() { pid_from "$REDIS_PIDFILE" redis-server; }

# The port of the running server is the one its config file names.
redis_port() { sed -n 's/^port //p' "$REDIS_CONF"; }

redis_running() { redis_pid >/dev/null; }

redis_answers() {
    [[ $(REDISCLI_AUTH="$(secret "$REDIS_PASSWORD_NAME")" with_timeout 5 redis-cli -h 127.0.0.1 -p "$(redis_port)" PING 2>/dev/null) == PONG ]]
}

redis_write_conf() {
    mkdir -p "$SANDBOX/redis"
    (
        umask 077
        cat >"$REDIS_CONF" <<EOF
# Written by scripts/infra on each start.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
requirepass $(secret "$REDIS_PASSWORD_NAME")
# No persistence: a cache and lab server, empty at every start.
save ""
appendonly no
dir "$SANDBOX/redis"
logfile "$REDIS_LOG"
EOF
    )
}

redis_up() {
    if redis_running; then
        say "redis: already running (pid $(redis_pid), 127.0.0.1:$(redis_port))$(port_note "$(redis_port)" "$REDIS_PORT" SANDBOX_REDIS_PORT)"
        await 10 true redis_answers || fail_with_log "redis: running but not answering on 127.0.0.1:$(redis_port)" "$REDIS_LOG"
        return
    fi
    if port_in_use "$REDIS_PORT"; then
        fail "redis: port $REDIS_PORT on 127.0.0.1 is in use by another program: choose another with SANDBOX_REDIS_PORT=<port> scripts/infra up"
    fi
    redis_write_conf
    start_detached "$REDIS_PIDFILE" "$REDIS_LOG" "$(command -v redis-server)" "$REDIS_CONF"
    local status=0
    await "$WAIT_SECONDS" redis_running redis_answers || status=$?
    case $status in
        0) say "redis: started (pid $(redis_pid), 127.0.0.1:$REDIS_PORT)" ;;
        1) fail_with_log "redis: not answering on 127.0.0.1:$REDIS_PORT after $WAIT_SECONDS s" "$REDIS_LOG" ;;
        *) fail_with_log "redis: redis-server exited at start" "$REDIS_LOG" ;;
    esac
}

redis_down() {
    local pid
    pid="$(redis_pid)"
    stop_pid redis "$pid"
    rm -f "$REDIS_PIDFILE"
    say "redis: stopped (pid $pid)"
}

redis_status() {
    if ! redis_running; then
        say "redis     stopped"
        return 1
    fi
    if redis_answers; then
        say "redis     running  pid $(redis_pid)  127.0.0.1:$(redis_port)  answers"
    else
        say "redis     running  pid $(redis_pid)  127.0.0.1:$(redis_port)  NOT answering (log: $REDIS_LOG)"
        return 1
    fi
}

redis_purge() { rm -rf "${SANDBOX:?}/redis" "$REDIS_CONF" "$REDIS_LOG" "${SECRETS_DIR:?}/$REDIS_PASSWORD_NAME"; }

redis_connection_string() { printf '127.0.0.1:%s,password=%s' "$(redis_port)" "$(secret "$REDIS_PASSWORD_NAME")"; }
