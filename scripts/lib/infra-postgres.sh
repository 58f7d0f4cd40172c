# shellcheck shell=bash disable=SC2034 # sourced by scripts/infra, which uses the variables defined here
# PostgreSQL from the OS packages: its own data directory, password authentication, 127.0.0.1 only.

PG_PORT="${SANDBOX_POSTGRES_PORT:-54320}"
PG_DATABASES=(appdb auditdb labdb)
PG_PASSWORD_NAME=postgres.password

# initdb and postgres refuse to run as root: then the postgres OS user runs them, in a directory it can reach
# (a clone under a root-only home is not), with a link to it at .sandbox/postgres.
if running_as_root; then
    PG_BASE="/var/tmp/backend-sandbox-$(repo_hash)"
    PG_DATA="$PG_BASE/postgres"
    PG_SOCKET_DIR="$PG_BASE/run"
    PG_LOG="$PG_BASE/postgres.log"
else
    PG_BASE=""
    PG_DATA="$SANDBOX/postgres"
    PG_SOCKET_DIR="$RUN_DIR"
    PG_LOG="$LOG_DIR/postgres.log"
    # A Unix socket path is limited to about 100 bytes; a deep clone gets a short directory instead.
    if ((${#PG_SOCKET_DIR} > 80)); then
        PG_SOCKET_DIR="${TMPDIR:-/tmp}/backend-sandbox-$(repo_hash)"
    fi
fi

postgres_bindir() {
    local dir
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -x $dir/initdb ]]; then
        printf '%s\n' "$dir"
        return
    fi
    # Debian keeps the server binaries off PATH, one directory per major version: take the newest.
    dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5n | tail -n 1)"
    if [[ -x $dir/initdb ]]; then
        printf '%s\n' "$dir"
        return
    fi
    dir="$(command -v initdb 2>/dev/null)" || return 1
    dirname "$dir"
}

PG_BIN="$(postgres_bindir || true)"

# pg_tool NAME: the server's own copy of a PostgreSQL program, else the one on PATH.
pg_tool() {
    if [[ -x $PG_BIN/$1 ]]; then
        printf '%s\n' "$PG_BIN/$1"
    else
        command -v "$1"
    fi
}

postgres_prerequisites() {
    local ok=0
    if [[ -z $PG_BIN ]] || ! pg_tool pg_ctl >/dev/null || ! pg_tool psql >/dev/null || ! pg_tool pg_isready >/dev/null; then
        say "PostgreSQL not found (initdb, pg_ctl, psql, pg_isready): install it with 'sudo apt-get install postgresql' (macOS: 'brew install postgresql@17')"
        ok=1
    fi
    if running_as_root; then
        if ! id postgres >/dev/null 2>&1; then
            say "user 'postgres' not found (needed to run PostgreSQL as root): install it with 'sudo apt-get install postgresql'"
            ok=1
        fi
        if ! command -v runuser >/dev/null 2>&1; then
            say "runuser not found (needed to run PostgreSQL as root): install it with 'sudo apt-get install util-linux'"
            ok=1
        fi
    fi
    return "$ok"
}

# as_pg_owner CMD...: runs a server-side PostgreSQL program as the data directory's owner.
as_pg_owner() {
    if running_as_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

postgres_initialized() { [[ -f $PG_DATA/PG_VERSION ]]; }

postgres_running() {
    postgres_initialized && as_pg_owner "$(pg_tool pg_ctl)" status -D "$PG_DATA" >/dev/null 2>&1
}

# postmaster.pid: line 1 is the pid, line 4 the port the running server listens on.
postgres_pid() { head -n 1 "$PG_DATA/postmaster.pid"; }
postgres_port() { sed -n 4p "$PG_DATA/postmaster.pid"; }

postgres_answers() {
    "$(pg_tool pg_isready)" -q -h 127.0.0.1 -p "$(postgres_port)" -t 3
}

postgres_init() {
    local pwfile="$SECRETS_DIR/$PG_PASSWORD_NAME" status=0
    secret "$PG_PASSWORD_NAME" >/dev/null
    # A directory left by an interrupted initdb would make the next one refuse to start.
    rm -rf "$PG_DATA"
    if running_as_root; then
        # initdb runs as postgres, which cannot read .sandbox/secrets: it gets a copy for the moment.
        install -m 600 -o postgres -g "$(id -gn postgres)" "$pwfile" "$PG_BASE/pwfile"
        pwfile="$PG_BASE/pwfile"
    fi
    say "postgres: creating the data directory $PG_DATA (initdb)"
    # The C locale exists everywhere (a minimal Debian has no en_US.UTF-8) and sorts the same on every machine.
    as_pg_owner "$(pg_tool initdb)" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
        --encoding=UTF8 --no-locale >"$LOG_DIR/postgres-initdb.log" 2>&1 || status=$?
    if running_as_root; then
        rm -f "$pwfile"
    fi
    ((status == 0)) || fail_with_log "postgres: initdb failed" "$LOG_DIR/postgres-initdb.log"
    cat >>"$PG_DATA/postgresql.conf" <<'EOF'

# Backend Sandbox (scripts/infra): a laptop-sized server. The port and socket directory are set at start.
listen_addresses = '127.0.0.1'
max_connections = 200
# On, as in production: the durability lessons depend on it.
fsync = on
EOF
}

# As root the data directory lives outside the clone: one with no link from this clone's .sandbox belongs to an
# earlier clone at the same path (deleted or re-cloned, its password gone with it), so it is stopped and removed.
postgres_remove_orphan() {
    if running_as_root && [[ -d $PG_BASE && ! -L $SANDBOX/postgres ]]; then
        say "postgres: removing $PG_BASE, left by an earlier clone at this path"
        if postgres_running; then
            as_pg_owner "$(pg_tool pg_ctl)" stop -D "$PG_DATA" -m fast -w >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_BASE"
    fi
}

postgres_up() {
    local pg_ctl
    pg_ctl="$(pg_tool pg_ctl)"
    postgres_remove_orphan
    if postgres_running; then
        say "postgres: already running (pid $(postgres_pid), 127.0.0.1:$(postgres_port))$(port_note "$(postgres_port)" "$PG_PORT" SANDBOX_POSTGRES_PORT)"
        await 10 true postgres_answers || fail_with_log "postgres: running but not answering on 127.0.0.1:$(postgres_port)" "$PG_LOG"
    else
        if postgres_initialized && [[ ! -s $SECRETS_DIR/$PG_PASSWORD_NAME ]]; then
            fail "postgres: $PG_DATA exists but its password ($SECRETS_DIR/$PG_PASSWORD_NAME) is gone: 'scripts/infra down --purge' starts afresh"
        fi
        if port_in_use "$PG_PORT"; then
            fail "postgres: port $PG_PORT on 127.0.0.1 is in use by another program: choose another with SANDBOX_POSTGRES_PORT=<port> scripts/infra up"
        fi
        if running_as_root; then
            install -d -m 700 -o postgres -g "$(id -gn postgres)" "$PG_BASE" "$PG_SOCKET_DIR"
            ln -sfn "$PG_DATA" "$SANDBOX/postgres"
            ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
        else
            mkdir -p "$PG_SOCKET_DIR"
            chmod 700 "$PG_SOCKET_DIR"
        fi
        postgres_initialized || postgres_init
        if ! as_pg_owner "$pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$WAIT_SECONDS" \
            -o "-p $PG_PORT -k '$PG_SOCKET_DIR'" >/dev/null; then
            fail_with_log "postgres: did not start within $WAIT_SECONDS s" "$PG_LOG"
        fi
        await "$WAIT_SECONDS" postgres_running postgres_answers || fail_with_log "postgres: started but not answering on 127.0.0.1:$PG_PORT" "$PG_LOG"
        say "postgres: started (pid $(postgres_pid), 127.0.0.1:$(postgres_port))"
    fi
    postgres_create_databases
}

postgres_create_databases() {
    local names
    names="$(printf "'%s'," "${PG_DATABASES[@]}")"
    PGPASSWORD="$(secret "$PG_PASSWORD_NAME")" PGCONNECT_TIMEOUT=10 "$(pg_tool psql)" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$(postgres_port)" -U postgres -d postgres >/dev/null <<SQL
SELECT format('CREATE DATABASE %I', name)
FROM unnest(ARRAY[${names%,}]) AS name
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = name)
\gexec
SQL
}

postgres_down() {
    local pid
    pid="$(postgres_pid)"
    as_pg_owner "$(pg_tool pg_ctl)" stop -D "$PG_DATA" -m fast -w -t "$WAIT_SECONDS" >/dev/null ||
        fail_with_log "postgres: did not stop within $WAIT_SECONDS s" "$PG_LOG"
    say "postgres: stopped (pid $pid)"
}

postgres_status() {
    if ! postgres_running; then
        say "postgres  stopped"
        return 1
    fi
    if postgres_answers; then
        say "postgres  running  pid $(postgres_pid)  127.0.0.1:$(postgres_port)  answers"
    else
        say "postgres  running  pid $(postgres_pid)  127.0.0.1:$(postgres_port)  NOT answering (log: $PG_LOG)"
        return 1
    fi
}

postgres_connection_string() { # DATABASE
    printf 'Host=127.0.0.1;Port=%s;Username=postgres;Password=%s;Database=%s' "$(postgres_port)" "$(secret "$PG_PASSWORD_NAME")" "$1"
}

postgres_purge() {
    rm -rf "$PG_DATA"
    if [[ -n $PG_BASE ]]; then
        rm -rf "$PG_BASE"
        rm -f "$SANDBOX/postgres"
    fi
    if [[ $PG_SOCKET_DIR != "$SANDBOX"/* ]]; then
        rm -rf "$PG_SOCKET_DIR"
    fi
    rm -f "$SECRETS_DIR/$PG_PASSWORD_NAME" "$LOG_DIR"/postgres*.log
    say "postgres: deleted the data directory $PG_DATA, its password and logs"
}
