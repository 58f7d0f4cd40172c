# shellcheck shell=bash disable=SC2034 # sourced by scripts/infra, which uses the variables defined here
# Shared by scripts/infra and its per-server parts: paths under .sandbox/, secrets, processes, waiting.
# Written for bash 3.2 too (macOS): no associative arrays, no mapfile.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
SANDBOX="$ROOT/.sandbox"
SECRETS_DIR="$SANDBOX/secrets"
RUN_DIR="$SANDBOX/run"
LOG_DIR="$SANDBOX/logs"
ENV_FILE="$SANDBOX/env"
WAIT_SECONDS="${SANDBOX_WAIT_SECONDS:-60}"

say() { printf '%s\n' "$*"; }
warn() { printf 'infra: %s\n' "$*" >&2; }
fail() {
    warn "$*"
    exit 1
}

# fail_with_log MESSAGE LOG: the message, then the end of the server's log, which usually says why.
fail_with_log() {
    warn "$1"
    if [[ -s $2 ]]; then
        printf -- '--- last lines of %s:\n' "$2" >&2
        tail -n 20 "$2" >&2
    fi
    exit 1
}

running_as_root() { [[ $(id -u) -eq 0 ]]; }

# A short, stable name for this clone, for places outside it (two clones must not share them).
repo_hash() { printf '%08x' "$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"; }

ensure_sandbox_dirs() {
    mkdir -p "$SANDBOX" "$RUN_DIR" "$LOG_DIR" "$SECRETS_DIR"
    chmod 700 "$SECRETS_DIR"
}

# One up/down at a time: a test command may run 'up' while a learner does, and two launchers would leave one orphaned.
LOCK_DIR="$RUN_DIR/infra.lock"
acquire_lock() {
    local polls=0
    ensure_sandbox_dirs
    until mkdir "$LOCK_DIR" 2>/dev/null; do
        if [[ -s $LOCK_DIR/pid ]] && ! process_alive "$(cat "$LOCK_DIR/pid")"; then
            rm -rf "$LOCK_DIR"
            continue
        fi
        if ((polls == 0)); then
            say "waiting for another scripts/infra (pid $(cat "$LOCK_DIR/pid" 2>/dev/null || echo '?')) to finish"
        fi
        if ((polls == 900)); then
            fail "another scripts/infra still holds $LOCK_DIR after 3 minutes; if none is running, delete that directory"
        fi
        sleep 0.2
        polls=$((polls + 1))
    done
    printf '%s\n' "$$" >"$LOCK_DIR/pid"
    trap 'rm -rf "$LOCK_DIR"' EXIT
}

# secret NAME: a password generated once and kept in .sandbox/secrets/NAME; [A-Za-z0-9] so it needs no escaping anywhere.
secret() {
    local file="$SECRETS_DIR/$1" random
    if [[ ! -s $file ]]; then
        random="$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
        (umask 077 && printf '%s\n' "${random:0:32}" >"$file")
    fi
    head -n 1 "$file"
}

require_port_number() {
    if ! [[ $2 =~ ^[0-9]+$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
        fail "$1=$2 is not a port number"
    fi
}

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# with_timeout SECONDS CMD...: bounds a client that could hang; macOS has no timeout(1) by default.
with_timeout() {
    local seconds=$1
    shift
    if command -v timeout >/dev/null 2>&1; then
        timeout "$seconds" "$@"
    else
        "$@"
    fi
}

process_command() {
    if [[ -r /proc/$1/cmdline ]]; then
        tr '\0' ' ' <"/proc/$1/cmdline"
    else
        ps -p "$1" -o command= 2>/dev/null
    fi
}

# process_alive PID: running, and not a zombie waiting for an init that reaps slowly.
process_alive() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    if [[ -r /proc/$1/stat ]]; then
        state="$(sed 's/^.*) //' "/proc/$1/stat")"
    else
        state="$(ps -o stat= -p "$1" 2>/dev/null)"
    fi
    [[ $state != Z* ]]
}

# pid_from PIDFILE PATTERN: the recorded pid, if that process is alive and is still the program we started.
pid_from() {
    local pid
    [[ -s $1 ]] || return 1
    pid="$(head -n 1 "$1")"
    [[ $pid =~ ^[0-9]+$ ]] && process_alive "$pid" || return 1
    [[ $(process_command "$pid") == *"$2"* ]] || return 1
    printf '%s\n' "$pid"
}

# start_detached PIDFILE LOG CMD...: runs CMD in the background, in its own session where possible, and records its pid.
start_detached() {
    local pidfile=$1 log=$2
    shift 2
    if command -v setsid >/dev/null 2>&1; then
        set -- setsid "$@"
    fi
    (cd / && exec nohup "$@" >>"$log" 2>&1 </dev/null) &
    printf '%s\n' "$!" >"$pidfile"
}

# stop_pid NAME PID: SIGTERM, then waits; SIGKILL only if it has not gone after 20 s.
stop_pid() {
    local name=$1 pid=$2 polls=0
    kill -TERM "$pid" 2>/dev/null || true
    while process_alive "$pid"; do
        if ((polls == 100)); then
            warn "$name (pid $pid) did not stop within 20 s of SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.2
        polls=$((polls + 1))
    done
}

# await SECONDS ALIVE READY: polls READY until it succeeds; 2 as soon as ALIVE fails (the server exited), 1 on timeout.
await() {
    local deadline=$((SECONDS + $1)) alive=$2 ready=$3
    until $ready; do
        $alive || return 2
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# port_note RUNNING REQUESTED VARIABLE: a hint when a running server listens elsewhere than the variable now asks.
port_note() {
    if [[ $1 != "$2" ]]; then
        printf "; %s=%s applies after 'scripts/infra down'" "$3" "$2"
    fi
}
