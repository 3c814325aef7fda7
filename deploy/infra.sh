#!/usr/bin/env bash
# Local infrastructure without Docker: a real single-node Apache Kafka (KRaft, broker + controller,
# fetched from Maven Central) and a real PostgreSQL 15 cluster (Debian's binaries), both on loopback.
#
#   deploy/infra.sh up          start both (fetch/install/format on first use), wait until they answer,
#                               print the two `export` lines on stdout:  eval "$(deploy/infra.sh up)"
#   deploy/infra.sh down        stop both cleanly
#   deploy/infra.sh status      say what runs (exit 0 when both run, 3 otherwise)
#   deploy/infra.sh env         print the two `export` lines
#   deploy/infra.sh kafka-start|kafka-stop|kafka-kill
#   deploy/infra.sh pg-start|pg-stop|pg-kill
#                               start = start again on existing data and wait until ready,
#                               stop = clean shutdown, kill = kill -9 (fault drills)
#   deploy/infra.sh reset       stop both and delete their data (keeps the downloaded Kafka jars, and the TLS
#                               material, credentials files and added partners: the next `up` applies them again)
#   deploy/infra.sh secure      apply the secured broker's set-up again (credentials, topics, ACLs; see below)
#   deploy/infra.sh partner-add <org>
#                               add a partner organisation (id: ^[a-z0-9][a-z0-9-]{0,62}$): principal partner-<org>,
#                               its topics and ACLs; prints the path of its credentials file on stdout
#   deploy/infra.sh partner-remove <org>
#                               delete its ACLs, SCRAM credentials and credentials file; its topics stay until their
#                               retention has emptied them
#   deploy/infra.sh quotas      print every principal's quotas (partners: produce and fetch bytes per second)
#   deploy/infra.sh tools [NAME ...]
#                               build, with the Go module proxy, into $JOURNEY_LOCAL_DIR/bin: mailpit (the mail
#                               catcher of `make run`), promtool (Prometheus' config and rule checker), prometheus (the
#                               server, for the tests that scrape real services) and composecheck
#                               (tools/composecheck: docker-compose.yml through compose-go); a program whose stamp
#                               (bin/.<name>.version) names the wanted version is kept
#   deploy/infra.sh mail-tls    Mailpit's certificate (127.0.0.1, localhost) from the stack's CA, as compose's
#                               kafka-certs makes it; prints the directory (mailpit.crt, mailpit.key, ca.crt)
#
# One source of truth for versions: docker-compose.yml's image tags. Kafka's jars (apache/kafka:X), Mailpit
# (axllent/mailpit:vX), promtool and prometheus (prom/prometheus:vX) are fetched in the versions compose names.
#
# Every command is safe to repeat. Progress goes to stderr, only the `export` lines to stdout.
#
# The broker is secured (docs: the README's "The secured bus"): 127.0.0.1:$KAFKA_PORT is a PLAINTEXT development
# listener on loopback whose anonymous principal is a super user (tests, set-up); 127.0.0.1:$KAFKA_SECURE_PORT is
# SASL_SSL (SCRAM-SHA-512 over TLS 1.2/1.3) with the ACLs of deploy/kafka/acls.txt. When `up` or `kafka-start`
# starts the broker (and on `secure`), deploy/kafka/material.sh makes the TLS material and credentials (once, kept)
# and deploy/kafka/JourneyAdmin.java upserts the SCRAM credentials, creates the topics and syncs the ACLs.
#
# Environment:
#   KAFKA_PORT (9092)  KAFKA_CONTROLLER_PORT (9093)  KAFKA_SECURE_PORT (9094)  PG_PORT (55432)
#   COMMANDS_RETENTION_MS, REJECTIONS_RETENTION_MS (345600000 = 4 days): retention.ms of the commands and
#                                       rejections topics (shared and per partner; segment.ms 3600000)
#   PARTNER_PRODUCE_BYTES_PER_S (1048576), PARTNER_FETCH_BYTES_PER_S (4194304): every partner principal's quota
#                                       (the broker throttles a partner beyond it; services and operators have none)
#   JOURNEY_LOCAL_DIR (<repo>/.local)   state: kafka/{libs,data,logs,server.properties,kafka.pid,probe,admin},
#                                       kafka/tls/{ca.crt,ca.key,broker.*}, kafka/credentials/<principal>.env,
#                                       kafka/partners.txt (added partners), postgres/{data,socket,log},
#                                       bin/ (the Go tools), build/ (their logs), mail/ (Mailpit: data, tls/)
#   PG_BIN (/usr/lib/postgresql/15/bin)  KAFKA_START_TIMEOUT (90)  KAFKA_STOP_TIMEOUT (60)
#   PG_TIMEOUT (60)  KAFKA_HEAP_OPTS (-Xms256m -Xmx512m)
#   GO (go on PATH, else /usr/local/go/bin/go)  GOTOOLCHAIN (local: a module wanting a newer Go is an error)
set -euo pipefail
umask 022

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_SECURE_PORT="${KAFKA_SECURE_PORT:-9094}"
COMMANDS_RETENTION_MS="${COMMANDS_RETENTION_MS:-345600000}"
REJECTIONS_RETENTION_MS="${REJECTIONS_RETENTION_MS:-345600000}"
PARTNER_PRODUCE_BYTES_PER_S="${PARTNER_PRODUCE_BYTES_PER_S:-1048576}"
PARTNER_FETCH_BYTES_PER_S="${PARTNER_FETCH_BYTES_PER_S:-4194304}"
PG_PORT="${PG_PORT:-55432}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
PG_TIMEOUT="${PG_TIMEOUT:-60}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

LOCAL="${JOURNEY_LOCAL_DIR:-$ROOT/.local}"
mkdir -p "$LOCAL"
LOCAL="$(cd "$LOCAL" && pwd)"

KAFKA_DIR="$LOCAL/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_LOGS="$KAFKA_DIR/logs"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DIR/cluster.id"
KAFKA_FORMATTED_FILE="$KAFKA_DIR/formatted.controller"
KAFKA_POM="$ROOT/deploy/kafka/pom.xml"
KAFKA_TEMPLATE="$ROOT/deploy/kafka/server.properties.template"
KAFKA_LOG4J="$ROOT/deploy/kafka/log4j2.properties"
KAFKA_PROBE="$ROOT/deploy/kafka/KafkaReady.java"
KAFKA_ADMIN_SRC="$ROOT/deploy/kafka/JourneyAdmin.java"
KAFKA_MATERIAL="$ROOT/deploy/kafka/material.sh"
KAFKA_ACLS="$ROOT/deploy/kafka/acls.txt"
KAFKA_EXAMPLE_PARTNERS="$ROOT/deploy/kafka/partners.txt"
KAFKA_TLS="$KAFKA_DIR/tls"
KAFKA_CREDENTIALS="$KAFKA_DIR/credentials"
KAFKA_ADDED_PARTNERS="$KAFKA_DIR/partners.txt"
COMPOSE_FILE="$ROOT/docker-compose.yml"
ORG_RE='^[a-z0-9][a-z0-9-]{0,62}$'

PG_DIR="$LOCAL/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/socket"
PG_LOGDIR="$PG_DIR/log"
PG_LOGFILE="$PG_LOGDIR/postgresql.log"
PG_USER_OS="postgres"

BIN="$LOCAL/bin"
TOOLS_BUILD="$LOCAL/build"
COMPOSECHECK_SRC="$ROOT/tools/composecheck"
MAIL_TLS="$LOCAL/mail/tls"

KAFKA_ENV_LINE="export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT"
PG_ENV_LINE="export DATABASE_URL=postgresql://journey:journey@127.0.0.1:$PG_PORT/journey"

log() { printf '[infra %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

print_env() {
    printf '%s\n%s\n' "$KAFKA_ENV_LINE" "$PG_ENV_LINE"
}

# Serialise commands that change state (two `up` at once must not start two brokers).
take_lock() {
    exec 9>"$LOCAL/.infra.lock"
    flock -w 600 9 || die "another deploy/infra.sh holds $LOCAL/.infra.lock"
}

# ---------------------------------------------------------------- process helpers

# Alive = exists and is not a zombie (an orphan that nobody reaps still answers kill -0).
proc_alive() {
    local pid="$1" state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/stat" ]] || return 1
    state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [[ -n "$state" && "$state" != "Z" && "$state" != "X" ]]
}

proc_cmdline_has() {
    local pid="$1" needle="$2"
    [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$needle"
}

# wait_gone PID SECONDS -> 0 when the process is gone, 1 on timeout
wait_gone() {
    local pid="$1" deadline=$((SECONDS + $2))
    while proc_alive "$pid"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---------------------------------------------------------------- Kafka

kafka_pid() {
    local pid
    [[ -f "$KAFKA_PID" ]] || return 1
    pid="$(<"$KAFKA_PID")"
    proc_alive "$pid" && proc_cmdline_has "$pid" "kafka.Kafka" || return 1
    printf '%s\n' "$pid"
}

kafka_running() { kafka_pid >/dev/null; }

kafka_fetch() {
    local stamp want version
    version="$(compose_tag apache/kafka)"
    want="$(cat "$KAFKA_POM" - <<<"$version" | sha256sum | cut -d' ' -f1)"
    stamp="$KAFKA_LIBS/.fetched"
    if [[ -f "$stamp" && "$(<"$stamp")" == "$want" ]] && compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found (Maven is needed to fetch Kafka from Maven Central)"
    command -v java >/dev/null || die "java not found (Kafka 4.x needs Java 17+)"
    log "kafka: fetching Kafka $version (docker-compose.yml's apache/kafka tag) from Maven Central ($KAFKA_POM) ..."
    local tmp="$KAFKA_DIR/libs.tmp.$$"
    mkdir -p "$KAFKA_DIR"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # -f with an absolute POM; `target/` is never created for packaging=pom + copy-dependencies.
    if ! mvn -B -Dstyle.color=never -f "$KAFKA_POM" -Dkafka.version="$version" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$KAFKA_DIR/mvn.log" 2>&1; then
        tail -n 40 "$KAFKA_DIR/mvn.log" >&2
        rm -rf "$tmp"
        die "kafka: mvn dependency:copy-dependencies failed (full output in $KAFKA_DIR/mvn.log)"
    fi
    [[ -f "$tmp/kafka_2.13-$version.jar" ]] || { rm -rf "$tmp"; die "kafka: kafka_2.13-$version.jar missing after fetch"; }
    printf '%s\n' "$want" >"$tmp/.fetched"
    rm -rf "$KAFKA_LIBS"
    mv "$tmp" "$KAFKA_LIBS"
    log "kafka: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $KAFKA_LIBS"
}

kafka_render_config() {
    mkdir -p "$KAFKA_DATA" "$KAFKA_LOGS"
    # TLS material first (made once, kept): the broker reads its keystore at start.
    bash "$KAFKA_MATERIAL" tls "$KAFKA_TLS"
    # Mode 600: the rendered file holds the keystore password.
    (
        umask 077
        sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
            -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
            -e "s|@KAFKA_SECURE_PORT@|$KAFKA_SECURE_PORT|g" \
            -e "s|@KAFKA_DATA_DIR@|$KAFKA_DATA|g" \
            -e "s|@KAFKA_KEYSTORE@|$KAFKA_TLS/broker.p12|g" \
            -e "s|@KAFKA_KEYSTORE_PASSWORD@|$(<"$KAFKA_TLS/broker.p12.password")|g" \
            -e "s|@KAFKA_TRUSTSTORE@|$KAFKA_TLS/ca.crt|g" \
            "$KAFKA_TEMPLATE" >"$KAFKA_PROPS.tmp"
    )
    mv "$KAFKA_PROPS.tmp" "$KAFKA_PROPS"
}

kafka_format() {
    if [[ -f "$KAFKA_DATA/meta.properties" ]]; then
        # --standalone records the controller's endpoint in the metadata log at format time.
        if [[ -f "$KAFKA_FORMATTED_FILE" && "$(<"$KAFKA_FORMATTED_FILE")" != "$KAFKA_CONTROLLER_PORT" ]]; then
            die "kafka: data in $KAFKA_DATA was formatted for controller port $(<"$KAFKA_FORMATTED_FILE"), not $KAFKA_CONTROLLER_PORT; use that port or run '$0 reset'"
        fi
        return 0
    fi
    if [[ ! -s "$KAFKA_CLUSTER_ID_FILE" ]]; then
        java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 >"$KAFKA_CLUSTER_ID_FILE.tmp"
        [[ -s "$KAFKA_CLUSTER_ID_FILE.tmp" ]] || die "kafka: StorageTool random-uuid printed nothing"
        mv "$KAFKA_CLUSTER_ID_FILE.tmp" "$KAFKA_CLUSTER_ID_FILE"
    fi
    log "kafka: formatting $KAFKA_DATA (cluster id $(<"$KAFKA_CLUSTER_ID_FILE"))"
    java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS" \
        kafka.tools.StorageTool format --standalone -g \
        -t "$(<"$KAFKA_CLUSTER_ID_FILE")" -c "$KAFKA_PROPS" >"$KAFKA_LOGS/format.out" 2>&1 \
        || { cat "$KAFKA_LOGS/format.out" >&2; die "kafka: StorageTool format failed"; }
    printf '%s\n' "$KAFKA_CONTROLLER_PORT" >"$KAFKA_FORMATTED_FILE"
}

# Start the broker process without waiting. Sets KAFKA_LOG_OFFSET for kafka_wait.
KAFKA_LOG_OFFSET=0
kafka_launch() {
    if kafka_running; then
        KAFKA_LOG_OFFSET=-1
        return 0
    fi
    rm -f "$KAFKA_PID"
    local p
    for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_SECURE_PORT"; do
        port_open "$p" && die "kafka: port 127.0.0.1:$p is taken by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_SECURE_PORT)"
    done
    kafka_fetch
    kafka_render_config
    kafka_format
    KAFKA_LOG_OFFSET=0
    [[ -f "$KAFKA_LOGS/server.log" ]] && KAFKA_LOG_OFFSET="$(stat -c %s "$KAFKA_LOGS/server.log")"
    log "kafka: starting broker on 127.0.0.1:$KAFKA_PORT (SASL_SSL $KAFKA_SECURE_PORT, controller $KAFKA_CONTROLLER_PORT)"
    # 9>&-: the broker must not inherit (and hold) the lock of this script.
    # setsid: own session, so a Ctrl-C or a job-control kill of the caller does not reach it.
    # The inner shell writes its own pid and execs java, so the pid file names the JVM in any case.
    # shellcheck disable=SC2086,SC2016
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$KAFKA_PID" \
        java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS" \
        -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" \
        </dev/null >>"$KAFKA_LOGS/kafka.out" 2>&1 9>&- &
    disown || true
    for _ in $(seq 1 50); do [[ -s "$KAFKA_PID" ]] && break; sleep 0.1; done
}

kafka_log_since_start() {
    local f="$KAFKA_LOGS/server.log" size
    [[ -f "$f" ]] || return 0
    size="$(stat -c %s "$f")"
    if ((KAFKA_LOG_OFFSET > 0 && size >= KAFKA_LOG_OFFSET)); then
        tail -c +"$((KAFKA_LOG_OFFSET + 1))" "$f"
    else
        cat "$f"
    fi
}

kafka_wait() {
    local deadline=$((SECONDS + KAFKA_START_TIMEOUT)) started=0 pid
    if ((KAFKA_LOG_OFFSET < 0)); then
        # Was already running: only check that it answers.
        port_open "$KAFKA_PORT" || die "kafka: process $(kafka_pid) runs but 127.0.0.1:$KAFKA_PORT does not answer"
        port_open "$KAFKA_SECURE_PORT" \
            || log "kafka: WARNING: the running broker has no listener on $KAFKA_SECURE_PORT (started with an older configuration?); restart it: $0 kafka-stop && $0 up"
        return 0
    fi
    while ((SECONDS < deadline)); do
        if ! pid="$(kafka_pid)"; then
            tail -n 40 "$KAFKA_LOGS/kafka.out" >&2 2>/dev/null || true
            kafka_log_since_start | grep -E 'ERROR|FATAL|Exception' | tail -n 20 >&2 || true
            die "kafka: broker exited during startup (logs in $KAFKA_LOGS)"
        fi
        if kafka_log_since_start | grep -q 'Kafka Server started' && port_open "$KAFKA_PORT"; then
            started=1
            break
        fi
        sleep 0.3
    done
    ((started)) || die "kafka: not started within ${KAFKA_START_TIMEOUT}s (logs in $KAFKA_LOGS)"
    # A real client must get metadata, not just a TCP accept.
    local left=$((deadline - SECONDS))
    ((left < 10)) && left=10
    kafka_probe "$left" >&2 || die "kafka: broker started but a client cannot fetch metadata"
}

# Run a Java tool of deploy/kafka against the broker's libs: compiled once into kafka/<dir> when javac is there
# (saves ~1 s per run), else through Java's single-file source launcher.   kafka_java SRC DIR ARGS...
kafka_java() {
    local src="$1" out="$KAFKA_DIR/$2" class
    class="$(basename "$src" .java)"
    shift 2
    if command -v javac >/dev/null && { [[ ! -f "$out/$class.class" ]] || [[ "$src" -nt "$out/$class.class" ]] \
        || [[ "$KAFKA_LIBS/.fetched" -nt "$out/$class.class" ]]; }; then
        mkdir -p "$out"
        javac -nowarn -cp "$KAFKA_LIBS/*" -d "$out" "$src" >&2 || rm -f "$out/$class.class"
    fi
    if [[ -f "$out/$class.class" ]]; then
        java -cp "$out:$KAFKA_LIBS/*" -Dlog4j2.level=ERROR "$class" "$@"
    else
        java -cp "$KAFKA_LIBS/*" -Dlog4j2.level=ERROR "$src" "$@"
    fi
}

# deploy/kafka/KafkaReady.java (an AdminClient): a real client gets metadata within $1 seconds.
kafka_probe() { kafka_java "$KAFKA_PROBE" probe "127.0.0.1:$KAFKA_PORT" "$1"; }

kafka_start() {
    kafka_launch
    kafka_wait
    log "kafka: ready (pid $(kafka_pid))"
    ((KAFKA_LOG_OFFSET < 0)) || kafka_setup
}

# ---------------------------------------------------------------- the secured broker's set-up

# Org ids of the example partners and the ones added with partner-add.
kafka_orgs() { bash "$KAFKA_MATERIAL" orgs "$KAFKA_EXAMPLE_PARTNERS" "$KAFKA_ADDED_PARTNERS"; }

# deploy/kafka/JourneyAdmin.java over the loopback listener:   kafka_admin COMMAND ARGS...
kafka_admin() {
    local cmd="$1"
    shift
    kafka_java "$KAFKA_ADMIN_SRC" admin "$cmd" --bootstrap "127.0.0.1:$KAFKA_PORT" "$@"
}

# Credentials files (passwords made once, kept), then SCRAM credentials, topics and ACLs on the running broker.
kafka_setup() {
    local principals
    principals="$(bash "$KAFKA_MATERIAL" principals "$KAFKA_ACLS" "$KAFKA_EXAMPLE_PARTNERS" "$KAFKA_ADDED_PARTNERS")" \
        || die "kafka: cannot list the principals (deploy/kafka/acls.txt, partners)"
    # shellcheck disable=SC2086  # one principal per word
    bash "$KAFKA_MATERIAL" credentials "$KAFKA_CREDENTIALS" "127.0.0.1:$KAFKA_SECURE_PORT" "$KAFKA_TLS/ca.crt" $principals
    # A partner no longer listed: the set-up below deletes its ACLs and SCRAM credentials, this its file.
    local file
    for file in "$KAFKA_CREDENTIALS"/partner-*.env; do
        [[ -f "$file" ]] || continue
        grep -xF -- "$(basename "$file" .env)" <<<"$principals" >/dev/null || rm -f "$file"
    done
    kafka_admin apply --acls "$KAFKA_ACLS" --partners "$KAFKA_EXAMPLE_PARTNERS,$KAFKA_ADDED_PARTNERS" \
        --credentials "$KAFKA_CREDENTIALS" --commands-retention-ms "$COMMANDS_RETENTION_MS" \
        --rejections-retention-ms "$REJECTIONS_RETENTION_MS" \
        --partner-produce-bytes-per-s "$PARTNER_PRODUCE_BYTES_PER_S" --partner-fetch-bytes-per-s "$PARTNER_FETCH_BYTES_PER_S" >&2 \
        || die "kafka: the set-up (deploy/kafka/JourneyAdmin.java) failed"
    log "kafka: secured: SASL_SSL on 127.0.0.1:$KAFKA_SECURE_PORT, credentials in $KAFKA_CREDENTIALS"
}

kafka_need_running() {
    kafka_running && port_open "$KAFKA_PORT" || die "kafka is not running: $0 up"
    port_open "$KAFKA_SECURE_PORT" || die "kafka runs without the secure listener on $KAFKA_SECURE_PORT: $0 kafka-stop && $0 up"
}

valid_org() {
    [[ "$1" =~ $ORG_RE ]] || die "'$1' is not an org id: lower-case letters, digits and '-', 1-63 characters, not starting with '-'"
}

cmd_quotas() {
    kafka_need_running
    kafka_admin quotas
}

cmd_secure() {
    take_lock
    kafka_need_running
    kafka_setup
}

cmd_partner_add() {
    local org="$1"
    valid_org "$org"
    take_lock
    if ! kafka_orgs | grep -xF -- "$org" >/dev/null; then
        printf '%s\n' "$org" >>"$KAFKA_ADDED_PARTNERS"
        log "partner $org: listed in $KAFKA_ADDED_PARTNERS"
    fi
    if kafka_running; then
        kafka_need_running
        kafka_setup
    else
        kafka_start
    fi
    printf '%s\n' "$KAFKA_CREDENTIALS/partner-$org.env"
}

cmd_partner_remove() {
    local org="$1"
    valid_org "$org"
    take_lock
    if bash "$KAFKA_MATERIAL" orgs "$KAFKA_EXAMPLE_PARTNERS" | grep -xF -- "$org" >/dev/null; then
        die "$org is an example partner of deploy/kafka/partners.txt: delete it there, then run $0 secure"
    fi
    if [[ -f "$KAFKA_ADDED_PARTNERS" ]]; then
        grep -vxF -- "$org" "$KAFKA_ADDED_PARTNERS" >"$KAFKA_ADDED_PARTNERS.tmp" || true
        mv "$KAFKA_ADDED_PARTNERS.tmp" "$KAFKA_ADDED_PARTNERS"
    fi
    if kafka_running && port_open "$KAFKA_PORT"; then
        kafka_admin remove-partner --org "$org" >&2 || die "kafka: removing partner-$org failed"
    else
        log "kafka is not running: the next start's set-up deletes partner-$org's ACLs and SCRAM credentials"
    fi
    rm -f "$KAFKA_CREDENTIALS/partner-$org.env"
    log "partner $org removed (its topics stay until their retention has emptied them)"
}

kafka_stop() {
    local pid
    if ! pid="$(kafka_pid)"; then
        rm -f "$KAFKA_PID"
        log "kafka: not running"
        return 0
    fi
    log "kafka: stopping pid $pid (SIGTERM, up to ${KAFKA_STOP_TIMEOUT}s)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$KAFKA_STOP_TIMEOUT"; then
        log "kafka: still running after ${KAFKA_STOP_TIMEOUT}s, kill -9"
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 30 || die "kafka: pid $pid survives kill -9"
    fi
    rm -f "$KAFKA_PID"
    log "kafka: stopped"
}

kafka_kill() {
    local pid
    if ! pid="$(kafka_pid)"; then
        rm -f "$KAFKA_PID"
        log "kafka: not running"
        return 0
    fi
    log "kafka: kill -9 pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 30 || die "kafka: pid $pid survives kill -9"
    rm -f "$KAFKA_PID"
}

# ---------------------------------------------------------------- PostgreSQL

pg_ensure_installed() {
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] && return 0
    log "postgres: $PG_BIN not found, installing postgresql-15 with apt-get"
    command -v apt-get >/dev/null || die "postgres: no $PG_BIN and no apt-get; install PostgreSQL 15 or set PG_BIN"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql-15 >&2 \
        || apt-get install -y -qq --no-install-recommends postgresql >&2 \
        || die "postgres: apt-get install failed"
    [[ -x "$PG_BIN/initdb" ]] || die "postgres: installed, but $PG_BIN/initdb is missing (set PG_BIN)"
}

as_pg() { runuser -u "$PG_USER_OS" -- "$@"; }

# Unix socket paths are limited to ~107 bytes; fall back to a short directory under /tmp.
pg_choose_socket_dir() {
    local sock="$PG_SOCK/.s.PGSQL.$PG_PORT"
    if ((${#sock} > 100)); then
        PG_SOCK="/tmp/journey-pg-$(printf '%s' "$PG_DIR" | cksum | cut -d' ' -f1)"
    fi
}

pg_prepare_dirs() {
    id -u "$PG_USER_OS" >/dev/null 2>&1 || die "postgres: system user '$PG_USER_OS' missing (apt-get install postgresql-15 creates it)"
    mkdir -p "$PG_DIR" "$PG_SOCK" "$PG_LOGDIR"
    chown "$PG_USER_OS:" "$PG_DIR" "$PG_SOCK" "$PG_LOGDIR"
    [[ -d "$PG_DATA" ]] && chown -R "$PG_USER_OS:" "$PG_DATA"
    # The postgres user must be able to traverse every parent of its directories.
    if ! as_pg test -x "$PG_DIR" -a -w "$PG_DIR"; then
        local d="$PG_DIR" dirs=()
        while [[ "$d" != "/" ]]; do dirs=("$d" "${dirs[@]}"); d="$(dirname "$d")"; done
        for d in "${dirs[@]}"; do
            if ! as_pg test -x "$d"; then
                log "postgres: chmod o+x $d (so the postgres user can reach $PG_DIR)"
                chmod o+x "$d"
            fi
        done
        as_pg test -x "$PG_DIR" -a -w "$PG_DIR" || die "postgres: user $PG_USER_OS cannot write $PG_DIR"
    fi
}

pg_write_config() {
    cat >"$PG_DATA/journey.conf" <<EOF
# Written by deploy/infra.sh at every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
# Durability stays on: the crash drills must mean something.
fsync = on
synchronous_commit = on
full_page_writes = on
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    chown "$PG_USER_OS:" "$PG_DATA/journey.conf"
    grep -q "^include_if_exists = 'journey.conf'" "$PG_DATA/postgresql.conf" \
        || printf "\ninclude_if_exists = 'journey.conf'\n" >>"$PG_DATA/postgresql.conf"
}

pg_initdb() {
    [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
    log "postgres: initdb $PG_DATA"
    rm -rf "$PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_LOGDIR/initdb.log" 2>&1 \
        || { cat "$PG_LOGDIR/initdb.log" >&2; die "postgres: initdb failed"; }
}

pg_pid() {
    local pid
    [[ -f "$PG_DATA/postmaster.pid" ]] || return 1
    pid="$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null)"
    proc_alive "$pid" && proc_cmdline_has "$pid" "postgres" || return 1
    printf '%s\n' "$pid"
}

pg_running() { pg_pid >/dev/null; }

pg_isready_tcp() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -t 2; }

pg_wait() {
    local deadline=$((SECONDS + PG_TIMEOUT))
    until pg_isready_tcp; do
        pg_running || { tail -n 30 "$PG_LOGFILE" >&2 2>/dev/null || true; die "postgres: server exited (log $PG_LOGFILE)"; }
        ((SECONDS < deadline)) || die "postgres: not ready within ${PG_TIMEOUT}s (log $PG_LOGFILE)"
        sleep 0.3
    done
}

pg_psql() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres "$@"
}

pg_ensure_role_db() {
    pg_psql -d postgres >/dev/null <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'journey') THEN
        CREATE ROLE journey LOGIN CREATEDB PASSWORD 'journey';
    ELSE
        ALTER ROLE journey LOGIN CREATEDB PASSWORD 'journey';
    END IF;
END
$$;
SELECT 'CREATE DATABASE journey OWNER journey'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'journey')
\gexec
SQL
}

pg_start() {
    pg_ensure_installed
    pg_choose_socket_dir
    if pg_running; then
        pg_wait
        log "postgres: already running (pid $(pg_pid))"
        return 0
    fi
    port_open "$PG_PORT" && die "postgres: port 127.0.0.1:$PG_PORT is taken by another process (set PG_PORT)"
    pg_prepare_dirs
    pg_initdb
    pg_write_config
    # Lock files left by a server that is gone block the start, and PostgreSQL's own staleness
    # check (kill -0) is fooled by a zombie: where PID 1 does not reap orphans (as on these
    # sandboxes) a stopped or killed postmaster stays a zombie. The server is known not to run here.
    local lockf="$PG_SOCK/.s.PGSQL.$PG_PORT.lock" lockpid
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        log "postgres: removing stale postmaster.pid"
        rm -f "$PG_DATA/postmaster.pid"
    fi
    if [[ -f "$lockf" ]]; then
        lockpid="$(head -n1 "$lockf" 2>/dev/null || true)"
        if ! proc_alive "$lockpid"; then
            log "postgres: removing stale socket lock $lockf"
            rm -f "$lockf" "$PG_SOCK/.s.PGSQL.$PG_PORT"
        fi
    fi
    log "postgres: starting on 127.0.0.1:$PG_PORT (socket $PG_SOCK)"
    # 9>&-: the server must not inherit (and hold) the lock of this script.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOGFILE" -w -t "$PG_TIMEOUT" start >/dev/null 9>&- \
        || { tail -n 30 "$PG_LOGFILE" >&2 2>/dev/null || true; die "postgres: pg_ctl start failed (log $PG_LOGFILE)"; }
    pg_wait
    pg_ensure_role_db
    log "postgres: ready (pid $(pg_pid))"
}

pg_stop() {
    pg_choose_socket_dir
    if ! pg_running; then
        log "postgres: not running"
        return 0
    fi
    log "postgres: pg_ctl stop -m fast"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$PG_TIMEOUT" stop >/dev/null \
        || die "postgres: pg_ctl stop failed"
    log "postgres: stopped"
}

pg_kill() {
    local pid children
    if ! pid="$(pg_pid)"; then
        log "postgres: not running"
        return 0
    fi
    # A crash of the whole server: the postmaster and its backends at once.
    children="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -s ' \n' ' ' || true)"
    log "postgres: kill -9 postmaster $pid and children ${children:-none}"
    # shellcheck disable=SC2086
    kill -KILL "$pid" $children 2>/dev/null || true
    wait_gone "$pid" 30 || die "postgres: pid $pid survives kill -9"
    local c
    for c in $children; do wait_gone "$c" 30 || true; done
}

# ---------------------------------------------------------------- versions and the Go tools

# compose_tag IMAGE: the one tag docker-compose.yml gives IMAGE, e.g. `compose_tag apache/kafka` -> 4.4.0.
compose_tag() {
    local image="$1" tags
    # Wherever the image is named (`image:`, or an anchor such as x-kafka-image), comments aside.
    tags="$(sed -nE "s#^[^\#]*[[:space:]\"']${image}:([A-Za-z0-9._-]+).*#\1#p" "$COMPOSE_FILE" | sort -u)"
    [[ -n "$tags" ]] || die "docker-compose.yml names no image $image:<tag> (the local set-up takes its versions from there)"
    [[ "$tags" != *$'\n'* ]] || die "docker-compose.yml gives $image several tags: $(tr '\n' ' ' <<<"$tags")"
    printf '%s\n' "$tags"
}

# Sets GO to the Go command, or stops: nothing here builds without it.
find_go() {
    GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
    [[ -x "$GO" ]] || die "tools: Go not found (install Go 1.24 or newer, or set GO=/path/to/go)"
}

# tool_current NAME VERSION: the program is there and its stamp names VERSION.
tool_current() {
    [[ -x "$BIN/$1" && -f "$BIN/.$1.version" && "$(<"$BIN/.$1.version")" == "$2" ]]
}

tool_stamp() { printf '%s\n' "$2" >"$BIN/.$1.version"; }

# go_run LOGNAME WHAT ARGS...: a go command with the build's output in $TOOLS_BUILD/LOGNAME.log, shown on failure.
go_run() {
    local logfile="$TOOLS_BUILD/$1.log" what="$2"
    shift 2
    mkdir -p "$TOOLS_BUILD"
    if ! GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:--buildvcs=false}" GOBIN="$BIN" "$GO" "$@" \
        >"$logfile" 2>&1; then
        tail -n 20 "$logfile" >&2
        die "tools: $what failed (full output in $logfile)"
    fi
}

# Mailpit in docker-compose.yml's version. Its web UI is a JavaScript bundle the Go module does not hold: built with
# npm from the module's own lock file, else (the npm registry here lacks some of its pinned packages) from
# deploy/mailpit/package*.json, our pinned lock for the same UI (rapidoc 9 for the API page; no lint or test tools).
# Without npm, Mailpit's API and SMTP still work; `.mailpit.ui` says whether the UI is in: a later run with npm adds it.
tool_mailpit() {
    local version src
    version="$(compose_tag axllent/mailpit)"
    if tool_current mailpit "$version" && { [[ -f "$BIN/.mailpit.ui" ]] || ! command -v npm >/dev/null; }; then
        return 0
    fi
    log "tools: building mailpit $version (github.com/axllent/mailpit) ..."
    go_run mailpit-download "downloading github.com/axllent/mailpit@$version" mod download "github.com/axllent/mailpit@$version"
    src="$TOOLS_BUILD/mailpit-$version"
    rm -rf "$src"
    cp -r "$("$GO" env GOMODCACHE)/github.com/axllent/mailpit@$version" "$src"
    chmod -R u+w "$src"
    : >"$TOOLS_BUILD/mailpit-ui.log"
    rm -f "$BIN/.mailpit.ui"
    if ! command -v npm >/dev/null; then
        log "tools: WARNING: npm not found: Mailpit without its web UI (its API and SMTP work)"
    elif ! mailpit_ui "$src" ci && ! { cp "$ROOT/deploy/mailpit/package.json" "$ROOT/deploy/mailpit/package-lock.json" "$src/" \
        && mailpit_ui "$src" install; }; then
        tail -n 20 "$TOOLS_BUILD/mailpit-ui.log" >&2
        die "tools: Mailpit's web UI did not build (npm; full output in $TOOLS_BUILD/mailpit-ui.log)"
    fi
    (cd "$src" && go_run mailpit "building mailpit $version" build \
        -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$version" -o "$BIN/mailpit" .)
    [[ -d "$src/server/ui/dist" ]] && touch "$BIN/.mailpit.ui"
    rm -rf "$src"
    tool_stamp mailpit "$version"
}

# mailpit_ui SRC ci|install: Mailpit's web UI bundle (server/ui/dist) with npm from SRC's lock file. Ours takes
# `install`: it pins every package, but `ci` wants the lock to list sass-embedded's optional per-platform packages,
# some of which the registry here does not serve.
mailpit_ui() {
    (cd "$1" && npm "$2" --no-audit --no-fund --loglevel=error && npm run package) >>"$TOOLS_BUILD/mailpit-ui.log" 2>&1
}

# promtool, and the Prometheus server itself (the tests scrape real services with it and read its alerts; without its
# web UI's assets, which the Go module does not hold: the API is all they use), of the Prometheus in
# docker-compose.yml: Prometheus vX.Y.Z is the Go module version v0.(X*100+Y).Z. The two share most of their build.
tool_promtool() { prometheus_program promtool; }
tool_prometheus() { prometheus_program prometheus; }

prometheus_program() {
    local program="$1" version major minor patch module
    version="$(compose_tag prom/prometheus)"
    [[ "$version" =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || die "tools: prom/prometheus:$version is not vX.Y.Z"
    major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}" patch="${BASH_REMATCH[3]}"
    module="v0.$((major * 100 + minor)).$patch"
    tool_current "$program" "$version" && return 0
    log "tools: building $program $version (github.com/prometheus/prometheus/cmd/$program@$module; minutes on 2 cores) ..."
    go_run "$program" "building $program $version (module $module)" install \
        -ldflags "-X github.com/prometheus/common/version.Version=${version#v}" \
        "github.com/prometheus/prometheus/cmd/$program@$module"
    tool_stamp "$program" "$version"
}

# tools/composecheck, stamped with the hash of its sources (go.mod pins compose-go).
tool_composecheck() {
    local version
    version="$(cat "$COMPOSECHECK_SRC"/go.mod "$COMPOSECHECK_SRC"/go.sum "$COMPOSECHECK_SRC"/*.go | sha256sum | cut -c1-16)"
    tool_current composecheck "$version" && return 0
    log "tools: building composecheck (tools/composecheck, compose-go) ..."
    (cd "$COMPOSECHECK_SRC" && go_run composecheck "building tools/composecheck" build -o "$BIN/composecheck" .)
    tool_stamp composecheck "$version"
}

# cmd_tools [NAME ...]: the named programs (mailpit, promtool, prometheus, composecheck), all of them by default.
cmd_tools() {
    local t0=$SECONDS name names=("$@")
    ((${#names[@]})) || names=(composecheck mailpit promtool prometheus)
    mkdir -p "$BIN"
    find_go
    # Its own lock: a build of minutes must not hold up `up` or `down`, which take the stack's.
    exec 8>"$LOCAL/.tools.lock"
    flock -w 1800 8 || die "another deploy/infra.sh tools holds $LOCAL/.tools.lock"
    for name in "${names[@]}"; do
        case "$name" in
            mailpit | promtool | prometheus | composecheck) "tool_$name" ;;
            *) die "tools: no tool '$name' (mailpit, promtool, prometheus, composecheck)" ;;
        esac
    done
    log "tools: ${names[*]} in $BIN ($((SECONDS - t0))s)"
}

# Mailpit's certificate for 127.0.0.1 and localhost, signed by the stack's CA (made with the broker's material, kept):
# the notifications service mails it over STARTTLS and verifies it with SMTP_CA_FILE, as in compose.
cmd_mail_tls() {
    bash "$KAFKA_MATERIAL" tls "$KAFKA_TLS"
    mkdir -p "$MAIL_TLS"
    if ! openssl verify -CAfile "$KAFKA_TLS/ca.crt" "$MAIL_TLS/mailpit.crt" >/dev/null 2>&1 \
        || ! openssl x509 -in "$MAIL_TLS/mailpit.crt" -noout -checkend $((30 * 86400)) >/dev/null; then
        (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$MAIL_TLS/mailpit.key" 2>/dev/null)
        openssl req -new -key "$MAIL_TLS/mailpit.key" -subj "/O=Integration Journey/CN=localhost" 2>/dev/null \
            | openssl x509 -req -CA "$KAFKA_TLS/ca.crt" -CAkey "$KAFKA_TLS/ca.key" -CAcreateserial -sha256 -days 825 \
                -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n') \
                -out "$MAIL_TLS/mailpit.crt" 2>/dev/null
        rm -f "$KAFKA_TLS/ca.srl"
        log "mail: made Mailpit's certificate $MAIL_TLS/mailpit.crt (SAN IP:127.0.0.1, DNS:localhost)"
    fi
    cp "$KAFKA_TLS/ca.crt" "$MAIL_TLS/ca.crt"
    printf '%s\n' "$MAIL_TLS"
}

# ---------------------------------------------------------------- commands

cmd_status() {
    local rc=0 pid
    if pid="$(kafka_pid)"; then
        if port_open "$KAFKA_PORT"; then
            echo "kafka:    running (pid $pid) on 127.0.0.1:$KAFKA_PORT (SASL_SSL $(port_open "$KAFKA_SECURE_PORT" && echo "$KAFKA_SECURE_PORT" || echo "not listening"))"
        else
            echo "kafka:    process $pid, port $KAFKA_PORT not answering"
            rc=3
        fi
    else
        echo "kafka:    stopped"
        rc=3
    fi
    pg_choose_socket_dir
    if pid="$(pg_pid)"; then
        if [[ -x "$PG_BIN/pg_isready" ]] && pg_isready_tcp; then
            echo "postgres: running (pid $pid) on 127.0.0.1:$PG_PORT"
        else
            echo "postgres: process $pid, port $PG_PORT not ready"
            rc=3
        fi
    else
        echo "postgres: stopped"
        rc=3
    fi
    echo "state:    $LOCAL"
    return "$rc"
}

cmd_up() {
    local t0=$SECONDS
    take_lock
    if kafka_running && pg_running && port_open "$KAFKA_PORT" && port_open "$KAFKA_SECURE_PORT" \
        && { pg_choose_socket_dir; pg_isready_tcp; }; then
        print_env
        return 0
    fi
    kafka_launch      # the JVM starts in the background ...
    pg_start          # ... while PostgreSQL comes up
    kafka_wait
    log "kafka: ready (pid $(kafka_pid))"
    ((KAFKA_LOG_OFFSET < 0)) || kafka_setup   # only when this run started the broker
    log "up in $((SECONDS - t0))s"
    print_env
}

cmd_down() {
    take_lock
    kafka_stop
    pg_stop
}

cmd_reset() {
    take_lock
    kafka_stop
    pg_stop
    log "reset: deleting $KAFKA_DATA, $KAFKA_LOGS and $PG_DIR"
    log "reset: keeping $KAFKA_TLS, $KAFKA_CREDENTIALS and $KAFKA_ADDED_PARTNERS (the next up applies them again)"
    rm -rf "$KAFKA_DATA" "$KAFKA_LOGS" "$KAFKA_PROPS" "$KAFKA_CLUSTER_ID_FILE" "$KAFKA_FORMATTED_FILE" \
        "$KAFKA_DIR/probe" "$KAFKA_DIR/admin" "$PG_DIR"
}

usage() {
    sed -n '2,55p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) print_env ;;
    reset) cmd_reset ;;
    secure) cmd_secure ;;
    partner-add) [[ $# -eq 2 ]] || usage; cmd_partner_add "$2" ;;
    quotas) cmd_quotas ;;
    tools) shift; cmd_tools "$@" ;;
    mail-tls) cmd_mail_tls ;;
    partner-remove) [[ $# -eq 2 ]] || usage; cmd_partner_remove "$2" ;;
    kafka-start) take_lock; kafka_start ;;
    kafka-stop) take_lock; kafka_stop ;;
    kafka-kill) take_lock; kafka_kill ;;
    pg-start) take_lock; pg_start ;;
    pg-stop) take_lock; pg_stop ;;
    pg-kill) take_lock; pg_kill ;;
    -h | --help | help) usage ;;
    *) usage ;;
esac
