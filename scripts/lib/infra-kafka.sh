# shellcheck shell=bash disable=SC2034 # sourced by scripts/infra, which uses the variables defined here
# Kafka: librdkafka's mock cluster (tools/KafkaMockCluster), 3 brokers on 127.0.0.1 ephemeral ports, in memory.

KAFKA_PROJECT="$ROOT/tools/KafkaMockCluster"
KAFKA_BIN_DIR="$SANDBOX/bin/kafka-mock"
KAFKA_DLL="$KAFKA_BIN_DIR/KafkaMockCluster.dll"
KAFKA_PIDFILE="$RUN_DIR/kafka.pid"
KAFKA_BOOTSTRAP_FILE="$RUN_DIR/kafka.bootstrap"
KAFKA_CONTROL_FILE="$RUN_DIR/kafka.control"
KAFKA_OUTAGE_FILE="$RUN_DIR/kafka.outage"
KAFKA_LOG="$LOG_DIR/kafka.log"
# The same topics and partition counts as services/Migrator/Kafka/KafkaTopic.cs (a test keeps them equal).
KAFKA_TOPICS=(chirp.events:6 chirp.events.dlq:3)

kafka_prerequisites() {
    local ok=0
    if ! command -v dotnet >/dev/null 2>&1; then
        say "dotnet not found (it builds the Kafka launcher): install the .NET 10 SDK from https://dot.net/download (Debian/Ubuntu: 'sudo apt-get install dotnet-sdk-10.0')"
        ok=1
    fi
    return "$ok"
}

kafka_pid() { pid_from "$KAFKA_PIDFILE" KafkaMockCluster.dll; }
kafka_running() { kafka_pid >/dev/null; }
kafka_bootstrap() { head -n 1 "$KAFKA_BOOTSTRAP_FILE" 2>/dev/null; }
kafka_bootstrap_written() { [[ -s $KAFKA_BOOTSTRAP_FILE && -s $KAFKA_CONTROL_FILE ]]; }
kafka_control() { head -n 1 "$KAFKA_CONTROL_FILE" 2>/dev/null; }

# Every broker accepts a connection (an outage closes their listeners).
kafka_listening() {
    local broker
    for broker in $(kafka_bootstrap | tr ',' ' '); do
        port_in_use "${broker##*:}" || return 1
    done
}

# A metadata request with kcat; without kcat, a TCP connect to every broker.
kafka_answers() {
    if command -v kcat >/dev/null 2>&1; then
        with_timeout 10 kcat -L -b "$(kafka_bootstrap)" -m 3 >/dev/null 2>&1
    else
        kafka_listening
    fi
}

kafka_build() {
    if [[ -f $KAFKA_DLL ]] && [[ -z $(find "$KAFKA_PROJECT" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" "$ROOT/global.json" \
        \( -name bin -o -name obj \) -prune -o -type f -newer "$KAFKA_DLL" -print 2>/dev/null) ]]; then
        return
    fi
    say "kafka: building the launcher (tools/KafkaMockCluster)"
    (cd "$ROOT" && dotnet build "$KAFKA_PROJECT/KafkaMockCluster.csproj" -c Release -o "$KAFKA_BIN_DIR" -nologo) >"$LOG_DIR/kafka-build.log" 2>&1 ||
        fail_with_log "kafka: building tools/KafkaMockCluster failed" "$LOG_DIR/kafka-build.log"
    touch "$KAFKA_DLL"
}

kafka_up() {
    local status=0 topic
    if kafka_running; then
        say "kafka: already running (pid $(kafka_pid), $(kafka_bootstrap))"
        if [[ -f $KAFKA_OUTAGE_FILE ]]; then
            warn "kafka: a simulated outage is on: 'scripts/infra kafka-outage stop' ends it"
        else
            await 10 true kafka_answers || fail_with_log "kafka: running but not answering at $(kafka_bootstrap)" "$KAFKA_LOG"
        fi
        return
    fi
    kafka_build
    rm -f "$KAFKA_BOOTSTRAP_FILE" "$KAFKA_CONTROL_FILE" "$KAFKA_OUTAGE_FILE"
    set -- dotnet "$KAFKA_DLL" --bootstrap-file "$KAFKA_BOOTSTRAP_FILE" --control-file "$KAFKA_CONTROL_FILE"
    for topic in "${KAFKA_TOPICS[@]}"; do
        set -- "$@" --topic "$topic"
    done
    start_detached "$KAFKA_PIDFILE" "$KAFKA_LOG" "$@"
    await "$WAIT_SECONDS" kafka_running kafka_bootstrap_written || status=$?
    if ((status == 0)); then
        await "$WAIT_SECONDS" kafka_running kafka_answers || status=$?
    fi
    case $status in
        0) say "kafka: started (pid $(kafka_pid), $(kafka_bootstrap))" ;;
        1) fail_with_log "kafka: the mock cluster did not answer within $WAIT_SECONDS s" "$KAFKA_LOG" ;;
        *) fail_with_log "kafka: the launcher exited at start" "$KAFKA_LOG" ;;
    esac
}

kafka_down() {
    local pid
    pid="$(kafka_pid)"
    stop_pid kafka "$pid"
    rm -f "$KAFKA_PIDFILE" "$KAFKA_BOOTSTRAP_FILE" "$KAFKA_CONTROL_FILE" "$KAFKA_OUTAGE_FILE"
    say "kafka: stopped (pid $pid)"
}

kafka_status() {
    if ! kafka_running; then
        say "kafka     stopped"
        return 1
    fi
    if [[ -f $KAFKA_OUTAGE_FILE ]]; then
        say "kafka     running  pid $(kafka_pid)  $(kafka_bootstrap)  brokers DOWN (simulated outage: 'scripts/infra kafka-outage stop' ends it)"
        return 1
    fi
    if kafka_answers; then
        say "kafka     running  pid $(kafka_pid)  $(kafka_bootstrap)  answers"
    else
        say "kafka     running  pid $(kafka_pid)  $(kafka_bootstrap)  NOT answering (log: $KAFKA_LOG)"
        return 1
    fi
}

kafka_purge() { rm -f "$KAFKA_LOG" "$LOG_DIR/kafka-build.log"; }

kafka_not_listening() { ! kafka_listening; }

# kafka_outage start|stop: SIGUSR1 takes every broker down, SIGUSR2 brings them back (tools/KafkaMockCluster).
kafka_outage() {
    local pid
    pid="$(kafka_pid)" || fail "kafka is not running: start it with 'scripts/infra up'"
    case "${1:-}" in
        start)
            kill -USR1 "$pid"
            touch "$KAFKA_OUTAGE_FILE"
            await 10 kafka_running kafka_not_listening || fail_with_log "kafka: brokers still accept connections after SIGUSR1" "$KAFKA_LOG"
            say "kafka: every broker is down (connections refused) until 'scripts/infra kafka-outage stop'"
            ;;
        stop)
            kill -USR2 "$pid"
            rm -f "$KAFKA_OUTAGE_FILE"
            await "$WAIT_SECONDS" kafka_running kafka_answers || fail_with_log "kafka: brokers do not answer after SIGUSR2" "$KAFKA_LOG"
            say "kafka: brokers are up again at $(kafka_bootstrap)"
            ;;
        *) fail "usage: scripts/infra kafka-outage start|stop" ;;
    esac
}
