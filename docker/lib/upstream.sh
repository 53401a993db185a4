# shellcheck shell=bash
# The connections this node opens to another server of the cluster (PRIMARY_HOST, a peer), and
# the one way the image waits for an answer. Used by the standby, the rewind and the peers guard;
# it calls only log.sh (and UPSTREAM_CONNINFO from environment.sh).

# wait_until TIMEOUT INTERVAL DESCRIPTION COMMAND [ARG...]: runs COMMAND every INTERVAL seconds
# until it succeeds (status 0), or fails once TIMEOUT seconds have passed (status 1). The first
# failure is announced as "waiting up to TIMEOUT s for DESCRIPTION". COMMAND runs in this shell:
# it may die on an error that waiting will not fix, and leave its last error in a variable its
# caller declared, for the caller's own message on timeout.
wait_until() {
  local timeout=$1 interval=$2 description=$3 deadline announced=
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@"; do
    # SECONDS counts whole seconds of the clock, so its first tick can come after a fraction of
    # one: only once it is past the deadline has the full TIMEOUT surely passed.
    ((SECONDS <= deadline)) || return 1
    if [[ -z $announced ]]; then
      log "waiting up to ${timeout} s for ${description}"
      announced=1
    fi
    sleep "$interval"
  done
}

# replication_command COMMAND [TIMEOUT [CONNINFO]]: psql over a physical replication connection
# to the upstream (or to CONNINFO: host, port, user, passfile), authenticated by the passfile. A
# server error is printed as its SQLSTATE alone (ERROR:  42704), which callers compare.
# connect_timeout bounds the connection; the outer timeout bounds the rest, so a stalled server
# cannot stall a wait.
replication_command() {
  local command=$1 timeout=${2:-5} conninfo=${3:-$UPSTREAM_CONNINFO}
  timeout --kill-after=2 $((timeout + 10)) psql "$conninfo dbname=replication replication=true connect_timeout=$timeout application_name=$REPLICATION_SLOT" \
    --no-psqlrc --no-align --tuples-only --quiet -v VERBOSITY=sqlstate --command "$command" 2>&1
}

# upstream_query QUERY [CONNINFO]: one query over an ordinary connection as REPLICATION_USER
# (pg_monitor reads the slot and replication views). It fails when the server cannot be asked;
# callers then go on without the answer, as they did before the check existed.
upstream_query() {
  local query=$1 conninfo=${2:-$UPSTREAM_CONNINFO}
  timeout --kill-after=2 13 psql "$conninfo dbname=postgres connect_timeout=3" \
    --no-psqlrc --no-align --tuples-only --quiet --field-separator=' ' -v VERBOSITY=sqlstate --command "$query" 2>&1
}

# The SQLSTATE with which PRIMARY_HOST refuses a replication connection as REPLICATION_USER, or
# nothing when it lets it in or cannot be asked (upstream-refusal.pl says why it is not psql).
upstream_refusal_sqlstate() {
  timeout --kill-after=1 8 perl "$LIB_DIR/upstream-refusal.pl" "$PRIMARY_HOST" "$PRIMARY_PORT" "$REPLICATION_USER" 2>/dev/null || true
}

# Called after a connection upstream failed: an error that waiting will not fix, told by the
# SQLSTATE the server refuses a new connection with, ends the start at once instead of retrying
# until the timeout.
refuse_on_permanent_error() {
  local where="${PRIMARY_HOST}:${PRIMARY_PORT}"
  case $(upstream_refusal_sqlstate) in
    28P01)  # invalid_password (also a role that does not exist, for password methods)
      die "authentication failed for REPLICATION_USER=$REPLICATION_USER at $where (SQLSTATE 28P01); REPLICATION_PASSWORD must match the primary's, and REPLICATION_USER be its replication role" ;;
    28000)  # invalid_authorization_specification: no pg_hba.conf line, or no such login role
      die "$where refused replication as $REPLICATION_USER from this node's address (SQLSTATE 28000: no pg_hba.conf entry for it, or no such login role); the primary needs REPLICATION_PASSWORD set (without it replication is closed), this address in its REPLICATION_ALLOWED_CIDR, and the same REPLICATION_USER" ;;
    42501)  # insufficient_privilege: the role lacks REPLICATION
      die "$where does not let $REPLICATION_USER replicate (SQLSTATE 42501); set REPLICATION_USER to the primary's replication role" ;;
  esac
}

# A bare TCP connect, made by one helper process for the whole wait: a request costs two pipe
# writes, against a new process's 10-20 ms (a timeout, a bash) that a primary initialising on the
# same machine would lose. A connect that hangs (an address that drops packets) is given 2 s,
# then the helper is replaced.
start_port_prober() {
  PORT_PROBER_ERRORS=$(mktemp)
  # shellcheck disable=SC2034 # PORT_PROBER and PORT_PROBER_PID are set by coproc
  coproc PORT_PROBER {
    while read -r probe_host probe_port; do
      if { : <>"/dev/tcp/$probe_host/$probe_port"; } 2>"$PORT_PROBER_ERRORS"; then
        echo open
      else
        probe_error=
        read -r probe_error <"$PORT_PROBER_ERRORS" || true
        printf '%s\n' "${probe_error:-connection failed}"
      fi
    done
  }
}

stop_port_prober() {
  [[ -n ${PORT_PROBER_PID:-} ]] || return 0
  kill "$PORT_PROBER_PID" 2>/dev/null || true
  wait "$PORT_PROBER_PID" 2>/dev/null || true
  rm -f "$PORT_PROBER_ERRORS"
}

# upstream_port_open ERROR_VAR: whether PRIMARY_HOST:PRIMARY_PORT takes a TCP connection; when it
# does not, the reason goes into ERROR_VAR.
upstream_port_open() {
  local answer
  [[ -n ${PORT_PROBER_PID:-} ]] || start_port_prober
  printf '%s %s\n' "$PRIMARY_HOST" "$PRIMARY_PORT" >&"${PORT_PROBER[1]}"
  if ! read -r -t 2 answer <&"${PORT_PROBER[0]}"; then
    stop_port_prober
    printf -v "$1" 'TCP connect to %s:%s: timed out after 2 s' "$PRIMARY_HOST" "$PRIMARY_PORT"
    return 1
  fi
  [[ $answer != open ]] || return 0
  # bash prefixes its reason with the script's path (and "line N: " in some versions).
  [[ ! $answer =~ ^/[^:]*\.sh:\ (line\ [0-9]+:\ )?(.*)$ ]] || answer=${BASH_REMATCH[2]}
  printf -v "$1" 'TCP connect to %s:%s: %s' "$PRIMARY_HOST" "$PRIMARY_PORT" "$answer"
  return 1
}
