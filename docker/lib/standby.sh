# shellcheck shell=bash
# The standby: clone the primary on first start, check it belongs to the same cluster on
# later starts, and always stream from the PRIMARY_HOST of the current environment.

# psql over a physical replication connection, authenticated by the passfile.
replication_command() {
  local command=$1 timeout=${2:-5}
  psql "host=$(conninfo_quote "$PRIMARY_HOST") port=$PRIMARY_PORT user=$REPLICATION_USER dbname=replication replication=true passfile=$PASSFILE connect_timeout=$timeout application_name=$REPLICATION_SLOT" \
    --no-psqlrc --no-align --tuples-only --quiet --command "$command" 2>&1
}

# Errors that waiting will not fix: say so at once instead of retrying until the timeout.
refuse_on_permanent_error() {
  local error=$1 where="${PRIMARY_HOST}:${PRIMARY_PORT}"
  case $error in
    *"password authentication failed"*)
      die "authentication failed for REPLICATION_USER=$REPLICATION_USER at $where; REPLICATION_PASSWORD must match the primary's" ;;
    *"no pg_hba.conf entry"*)
      die "$where refused replication from this standby's address (no pg_hba.conf entry); include it in the primary's REPLICATION_ALLOWED_CIDR" ;;
    *"role \"$REPLICATION_USER\" does not exist"* | *"must have"*"replication"* | *"permission denied to start WAL sender"*)
      die "$where does not let $REPLICATION_USER replicate; set REPLICATION_USER to the primary's replication role" ;;
  esac
}

# Polls IDENTIFY_SYSTEM until the upstream answers or PRIMARY_WAIT_TIMEOUT passes; prints the
# upstream's system identifier.
wait_for_primary() {
  local deadline=$((SECONDS + PRIMARY_WAIT_TIMEOUT)) reply announced=
  while true; do
    if reply=$(replication_command IDENTIFY_SYSTEM 3); then
      printf '%s' "${reply%%|*}"
      return 0
    fi
    refuse_on_permanent_error "$reply"
    # SECONDS counts whole seconds of the clock, so its first tick can come after a fraction of
    # one: only once it is past the deadline has the full PRIMARY_WAIT_TIMEOUT surely passed.
    if ((SECONDS > deadline)); then
      die "primary ${PRIMARY_HOST}:${PRIMARY_PORT} still unreachable after ${PRIMARY_WAIT_TIMEOUT} s (last error: ${reply//$'\n'/ }); check PRIMARY_HOST and PRIMARY_PORT, or raise PRIMARY_WAIT_TIMEOUT"
    fi
    if [[ -z $announced ]]; then
      log "waiting up to ${PRIMARY_WAIT_TIMEOUT} s for primary ${PRIMARY_HOST}:${PRIMARY_PORT}"
      announced=1
    fi
    sleep 0.1
  done
}

local_system_identifier() {
  pg_controldata "$PGDATA" | awk -F': *' '/^Database system identifier/ { print $2 }'
}

# Sets SLOT_STATE to present, absent or unknown. READ_REPLICATION_SLOT (PostgreSQL 15+) answers
# an empty row when the slot does not exist; an older upstream does not know the command, and the
# callers then just try and read the answer.
read_upstream_slot_state() {
  local reply
  if reply=$(replication_command "READ_REPLICATION_SLOT \"$REPLICATION_SLOT\""); then
    if [[ -z ${reply//|/} ]]; then SLOT_STATE=absent; else SLOT_STATE=present; fi
  elif [[ $reply == *"syntax error"* ]]; then
    SLOT_STATE=unknown
  else
    SLOT_ERROR=${reply//$'\n'/ }
    return 1
  fi
}

# A slot of the same name left by an earlier clone of this standby is dropped, so the new clone
# starts from fresh WAL; a slot still in use belongs to another standby with the same name.
drop_stale_slot() {
  local deadline=$((SECONDS + 30)) reply
  read_upstream_slot_state \
    || die "could not read replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}: $SLOT_ERROR"
  [[ $SLOT_STATE != absent ]] || return 0
  while ! reply=$(replication_command "DROP_REPLICATION_SLOT \"$REPLICATION_SLOT\""); do
    case $reply in
      *"does not exist"*) return 0 ;;
      *"is active"*)
        # The walsender of a standby that just went away can take a moment to notice.
        ((SECONDS < deadline)) \
          || die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is in use by another standby; give each standby its own REPLICATION_SLOT"
        sleep 0.2 ;;
      *) die "could not drop the old replication slot $REPLICATION_SLOT: ${reply//$'\n'/ }" ;;
    esac
  done
  log "dropped the old replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}"
}

clone_primary() {
  local started=$SECONDS output
  log "cloning ${PRIMARY_HOST}:${PRIMARY_PORT} into $PGDATA with replication slot $REPLICATION_SLOT"
  if ! output=$(pg_basebackup --pgdata="$PGDATA" --wal-method=stream --checkpoint=fast \
    --create-slot --slot="$REPLICATION_SLOT" --no-password \
    --dbname="host=$(conninfo_quote "$PRIMARY_HOST") port=$PRIMARY_PORT user=$REPLICATION_USER passfile=$PASSFILE application_name=$REPLICATION_SLOT" 2>&1); then
    # PGDATA was empty before the clone: leave it empty again so the next start retries cleanly.
    find "$PGDATA" -mindepth 1 -delete
    refuse_on_permanent_error "$output"
    die "pg_basebackup from ${PRIMARY_HOST}:${PRIMARY_PORT} failed: ${output//$'\n'/ }"
  fi
  touch "$PGDATA/standby.signal"
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
  elif [[ $reply != *"already exists"* ]]; then
    notice "could not create replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}: ${reply//$'\n'/ }"
  fi
}

check_existing_standby() {
  [[ -f "$PGDATA/standby.signal" ]] \
    || die "PGDATA ($PGDATA) holds a primary's data, but REPLICATION_ROLE is standby; start it with REPLICATION_ROLE=primary, or give the standby an empty volume to clone into"
  local reply upstream_id local_id
  if ! reply=$(replication_command IDENTIFY_SYSTEM 3); then
    refuse_on_permanent_error "$reply"
    log "primary ${PRIMARY_HOST}:${PRIMARY_PORT} not reachable now; starting from local data, streaming resumes when it answers"
    return 0
  fi
  upstream_id=${reply%%|*}
  local_id=$(local_system_identifier)
  [[ $upstream_id == "$local_id" ]] \
    || die "PGDATA ($PGDATA) belongs to another cluster (system identifier $local_id, ${PRIMARY_HOST} has $upstream_id); give this standby an empty volume, or point PRIMARY_HOST at its own primary"
  ensure_slot_upstream
  log "resuming as a standby of ${PRIMARY_HOST}:${PRIMARY_PORT} from the existing data in $PGDATA"
}

prepare_standby() {
  write_passfile
  if pgdata_is_initialised; then
    check_existing_standby
  else
    [[ -z $(ls -A "$PGDATA") ]] \
      || die "PGDATA ($PGDATA) is not empty but holds no cluster; empty it so the standby can clone its primary"
    wait_for_primary >/dev/null
    drop_stale_slot
    clone_primary
  fi
  write_replication_conf standby
  # A cascading standby lets its own standbys in by its own REPLICATION_ALLOWED_CIDR.
  write_hba_replication_block
}
