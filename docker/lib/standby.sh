# shellcheck shell=bash
# The standby: clone the primary on first start, check it belongs to the same cluster on
# later starts, and always stream from the PRIMARY_HOST of the current environment.

# psql over a physical replication connection, authenticated by the passfile. A server error is
# printed as its SQLSTATE alone (ERROR:  42704), which callers compare. connect_timeout bounds the
# connection; the outer timeout bounds the rest, so a stalled upstream cannot stall a wait loop.
replication_command() {
  local command=$1 timeout=${2:-5}
  timeout --kill-after=2 $((timeout + 10)) psql "$UPSTREAM_CONNINFO dbname=replication replication=true connect_timeout=$timeout application_name=$REPLICATION_SLOT" \
    --no-psqlrc --no-align --tuples-only --quiet -v VERBOSITY=sqlstate --command "$command" 2>&1
}

# One query on the upstream over an ordinary connection as REPLICATION_USER (pg_monitor reads the
# slot and replication views). It fails when the upstream cannot be asked; callers then go on
# without the answer, as they did before the check existed.
upstream_query() {
  local query=$1
  psql "$UPSTREAM_CONNINFO dbname=postgres connect_timeout=3" \
    --no-psqlrc --no-align --tuples-only --quiet --field-separator=' ' -v VERBOSITY=sqlstate --command "$query" 2>&1
}

# Errors that waiting will not fix: say so at once instead of retrying until the timeout.
refuse_on_permanent_error() {
  local error=$1 where="${PRIMARY_HOST}:${PRIMARY_PORT}"
  case $error in
    *"password authentication failed"*)
      die "authentication failed for REPLICATION_USER=$REPLICATION_USER at $where; REPLICATION_PASSWORD must match the primary's" ;;
    *"no pg_hba.conf entry"*)
      die "$where refused replication from this standby's address (no pg_hba.conf entry); the primary needs REPLICATION_PASSWORD set (without it replication is closed) and this address in its REPLICATION_ALLOWED_CIDR" ;;
    *"role \"$REPLICATION_USER\" does not exist"* | *"must have"*"replication"* | *"permission denied to start WAL sender"*)
      die "$where does not let $REPLICATION_USER replicate; set REPLICATION_USER to the primary's replication role" ;;
  esac
}

# A bare TCP connect, made by one helper process for the whole wait: a request costs two pipe
# writes, against a new process's 10-20 ms (a timeout, a bash) that a primary initialising on the
# same machine would lose. A connect that hangs (an address that drops packets) is given 2 s,
# then the helper is replaced. Fails with the reason in PORT_ERROR.
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

primary_port_open() {
  local answer
  [[ -n ${PORT_PROBER_PID:-} ]] || start_port_prober
  printf '%s %s\n' "$PRIMARY_HOST" "$PRIMARY_PORT" >&"${PORT_PROBER[1]}"
  if ! read -r -t 2 answer <&"${PORT_PROBER[0]}"; then
    stop_port_prober
    PORT_ERROR="TCP connect to $PRIMARY_HOST:$PRIMARY_PORT: timed out after 2 s"
    return 1
  fi
  [[ $answer != open ]] || return 0
  # bash prefixes its reason with the script's path (and "line N: " in some versions).
  [[ ! $answer =~ ^/[^:]*\.sh:\ (line\ [0-9]+:\ )?(.*)$ ]] || answer=${BASH_REMATCH[2]}
  PORT_ERROR="TCP connect to $PRIMARY_HOST:$PRIMARY_PORT: $answer"
  return 1
}

# Polls the upstream until it answers a replication connection or PRIMARY_WAIT_TIMEOUT passes.
# The command it asks is the one the clone needs next: it leaves the slot's SLOT_STATE.
wait_for_primary() {
  local deadline=$((SECONDS + PRIMARY_WAIT_TIMEOUT)) reply announced=
  while true; do
    if primary_port_open; then
      if read_upstream_slot_state; then
        stop_port_prober
        return 0
      fi
      reply=$SLOT_ERROR
      refuse_on_permanent_error "$reply"
    else
      reply=$PORT_ERROR
    fi
    # SECONDS counts whole seconds of the clock, so its first tick can come after a fraction of
    # one: only once it is past the deadline has the full PRIMARY_WAIT_TIMEOUT surely passed.
    if ((SECONDS > deadline)); then
      die "primary ${PRIMARY_HOST}:${PRIMARY_PORT} still unreachable after ${PRIMARY_WAIT_TIMEOUT} s (last error: ${reply//$'\n'/ }); check PRIMARY_HOST and PRIMARY_PORT, or raise PRIMARY_WAIT_TIMEOUT"
    fi
    if [[ -z $announced ]]; then
      log "waiting up to ${PRIMARY_WAIT_TIMEOUT} s for primary ${PRIMARY_HOST}:${PRIMARY_PORT}"
      announced=1
    fi
    sleep 0.05
  done
}

# Sets SLOT_STATE to present, absent or unknown. READ_REPLICATION_SLOT (PostgreSQL 15+) answers
# an empty row when the slot does not exist; an older upstream does not know the command, and the
# callers then just try and read the answer.
read_upstream_slot_state() {
  local reply
  if reply=$(replication_command "READ_REPLICATION_SLOT \"$REPLICATION_SLOT\""); then
    if [[ -z ${reply//|/} ]]; then SLOT_STATE=absent; else SLOT_STATE=present; fi
  elif [[ $reply == *"ERROR:  42601"* ]]; then  # syntax_error: PostgreSQL 14 and older
    SLOT_STATE=unknown
  else
    SLOT_ERROR=${reply//$'\n'/ }
    return 1
  fi
}

# A slot of the same name is dropped before a new clone, so it starts from fresh WAL, but only if
# no standby streams from it: an active slot belongs to another live standby of the same name,
# and is never taken. The one exception is this standby's own clone that was cut off (the caller
# says so): its WAL stream stays open on the upstream until wal_sender_timeout (default 60 s).
readonly SLOT_RELEASE_TIMEOUT=75

# Call after wait_for_primary, which read SLOT_STATE.
drop_stale_slot() {
  local own_cut_off_clone=${1:-} deadline=$((SECONDS + SLOT_RELEASE_TIMEOUT)) reply announced=
  [[ $SLOT_STATE != absent ]] || return 0
  while ! reply=$(replication_command "DROP_REPLICATION_SLOT \"$REPLICATION_SLOT\""); do
    case $reply in
      *"ERROR:  42704"*) return 0 ;;     # undefined_object: gone meanwhile
      *"ERROR:  55006"*)                 # object_in_use: a walsender streams from it
        [[ -n $own_cut_off_clone ]] \
          || die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is in use by another running standby ($(slot_holder)); two standbys cannot share a slot: give this one its own hostname or REPLICATION_SLOT"
        ((SECONDS < deadline)) \
          || die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is still in use after ${SLOT_RELEASE_TIMEOUT} s ($(slot_holder)); give each standby its own hostname or REPLICATION_SLOT"
        if [[ -z $announced ]]; then
          log "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is in use; waiting up to ${SLOT_RELEASE_TIMEOUT} s for the connection of this standby's cut-off clone to time out"
          announced=1
        fi
        sleep 0.2 ;;
      *) die "could not drop the old replication slot $REPLICATION_SLOT: ${reply//$'\n'/ }" ;;
    esac
  done
  notice "dropped the inactive replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}, left by an earlier standby of this name, to clone afresh"
}

# Who streams from the slot, as the upstream sees it: "address A" or "no client address".
slot_holder() {
  local reply
  reply=$(upstream_query "SELECT coalesce(host(r.client_addr), 'a local process') FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = '$REPLICATION_SLOT' AND s.active") || reply=
  printf 'held from %s' "${reply:-an address the upstream did not tell}"
}

# The label pg_basebackup writes into backup_label: it marks a clone this image started, the only
# kind of half-made PGDATA it ever removes.
readonly CLONE_LABEL="postgres-replication clone"

# PGDATA was empty before a clone began: a clone that failed or was cut off leaves it empty
# again, so the next attempt starts cleanly.
remove_partial_clone() {
  find "$PGDATA" -mindepth 1 -delete
}

clone_primary() {
  local started=$SECONDS output
  local -a throttle=()
  if [[ -n ${CLONE_MAX_RATE:-} ]]; then
    throttle=(--max-rate="$CLONE_MAX_RATE")
  fi
  log "cloning ${PRIMARY_HOST}:${PRIMARY_PORT} into $PGDATA with replication slot $REPLICATION_SLOT${CLONE_MAX_RATE:+ at most $CLONE_MAX_RATE/s}"
  spread_new_cluster_over_file_system
  if ! output=$(pg_basebackup --pgdata="$PGDATA" --wal-method=stream --checkpoint=fast "${throttle[@]}" \
    --label="$CLONE_LABEL" \
    --create-slot --slot="$REPLICATION_SLOT" --no-password \
    --dbname="$UPSTREAM_CONNINFO application_name=$REPLICATION_SLOT" 2>&1); then
    remove_partial_clone
    refuse_on_permanent_error "$output"
    die "pg_basebackup from ${PRIMARY_HOST}:${PRIMARY_PORT} failed: ${output//$'\n'/ }"
  fi
  : >"$PGDATA/standby.signal"
  log "cloned $(du -sh "$PGDATA" | cut -f1) in $((SECONDS - started)) s"
}

# On a restart the slot may be missing upstream (for example after PRIMARY_HOST was pointed at
# a promoted standby): create it, so streaming resumes under the same name.
ensure_slot_upstream() {
  local reply
  if ! read_upstream_slot_state; then
    notice "could not read replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}: $SLOT_ERROR"
    return 0
  fi
  [[ $SLOT_STATE != present ]] || return 0
  if reply=$(replication_command "CREATE_REPLICATION_SLOT \"$REPLICATION_SLOT\" PHYSICAL"); then
    log "created replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}"
  elif [[ $reply != *"ERROR:  42710"* ]]; then  # duplicate_object: created meanwhile
    notice "could not create replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}: ${reply//$'\n'/ }"
  fi
}

# This host's addresses, to tell its own lingering connection from another standby's.
own_addresses() {
  hostname -I 2>/dev/null || awk '/32 host/ { print prev } { prev = $2 }' /proc/net/fib_trie 2>/dev/null
}

# A restarted standby whose slot the upstream invalidated cannot catch up, and one whose slot
# another standby streams from would loop on "slot is active": both are said in one line.
check_slot_usable() {
  local reply wal_status holder
  reply=$(upstream_query "SELECT s.wal_status, coalesce(host(r.client_addr), '-') FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = '$REPLICATION_SLOT'") \
    || return 0
  read -r wal_status holder <<<"$reply"
  if [[ $wal_status == lost ]]; then
    die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} was invalidated: this standby fell more than MAX_SLOT_WAL_KEEP_SIZE behind and the WAL it needs is gone; it cannot catch up: start it on an empty volume to clone again (its data here is left as it is)"
  fi
  if [[ -n $holder && $holder != - ]] && ! own_addresses | tr ' ' '\n' | grep -qxF "$holder"; then
    die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is in use by another standby at $holder; two standbys cannot share a slot: give this one its own hostname or REPLICATION_SLOT"
  fi
}

# Prints the upstream's IDENTIFY_SYSTEM reply once it answers; fails with the last error after
# PRIMARY_WAIT_TIMEOUT.
wait_for_identify_system() {
  local deadline=$((SECONDS + PRIMARY_WAIT_TIMEOUT)) reply announced=
  until reply=$(replication_command IDENTIFY_SYSTEM 3); do
    if ((SECONDS > deadline)); then
      printf '%s' "$reply"
      return 1
    fi
    if [[ -z $announced ]]; then
      log "waiting up to ${PRIMARY_WAIT_TIMEOUT} s for ${PRIMARY_HOST}:${PRIMARY_PORT} to rejoin it"
      announced=1
    fi
    sleep 0.5
  done
  printf '%s' "$reply"
}

check_existing_standby() {
  local reply
  if ! reply=$(replication_command IDENTIFY_SYSTEM 3); then
    refuse_on_permanent_error "$reply"
    if [[ -f "$PGDATA/standby.signal" ]]; then
      log "primary ${PRIMARY_HOST}:${PRIMARY_PORT} not reachable now; starting from local data, streaming resumes when it answers"
      return 0
    fi
    # A former primary can only rejoin through its upstream (pg_rewind): wait for it as a new standby would.
    reply=$(wait_for_identify_system) || refuse_on_permanent_error "$reply"
    [[ $reply == *'|'* ]] \
      || die "PGDATA ($PGDATA) holds a primary's data and ${PRIMARY_HOST}:${PRIMARY_PORT} did not answer within ${PRIMARY_WAIT_TIMEOUT} s, so it cannot be rewound to follow it; start ${PRIMARY_HOST} first, or raise PRIMARY_WAIT_TIMEOUT (last error: ${reply//$'\n'/ })"
  fi
  follow_upstream_history "$reply"
  check_slot_usable
  ensure_slot_upstream
  log "resuming as a standby of ${PRIMARY_HOST}:${PRIMARY_PORT} from the existing data in $PGDATA"
}

# pg_basebackup writes backup_label first, and standby.signal comes after it is done: a label of
# this image's own without standby.signal is a clone that was cut off (container killed, node
# lost). Only such a clone is removed.
clone_was_interrupted() {
  [[ -f "$PGDATA/backup_label" && ! -f "$PGDATA/standby.signal" ]] \
    && grep -qxF "LABEL: $CLONE_LABEL" "$PGDATA/backup_label"
}

# Any other backup_label is a base backup restored by another tool: never touched.
refuse_foreign_backup() {
  [[ -f "$PGDATA/backup_label" && ! -f "$PGDATA/standby.signal" ]] || return 0
  local label
  label=$(sed -n 's/^LABEL: //p' "$PGDATA/backup_label")
  die "PGDATA ($PGDATA) holds a base backup this image did not make (backup_label '${label}'), left untouched; to run it as a standby of PRIMARY_HOST add an empty standby.signal to it, to recover it as a primary start it with REPLICATION_ROLE=primary"
}

prepare_standby() {
  write_passfile
  local own_cut_off_clone=
  if clone_was_interrupted; then
    notice "the last clone into $PGDATA did not finish (this image's backup_label, no standby.signal); removing it to clone again"
    remove_partial_clone
    own_cut_off_clone=1
  fi
  refuse_foreign_backup
  if pgdata_is_initialised; then
    check_existing_standby
  else
    local -a entries
    shopt -s nullglob dotglob
    entries=("$PGDATA"/*)
    shopt -u nullglob dotglob
    ((${#entries[@]} == 0)) \
      || die "PGDATA ($PGDATA) is not empty but holds no cluster; empty it so the standby can clone its primary"
    wait_for_primary
    drop_stale_slot "$own_cut_off_clone"
    clone_primary
  fi
  write_replication_conf standby
  # A cascading standby lets its own standbys in by its own REPLICATION_ALLOWED_CIDR.
  write_hba_replication_block
}
