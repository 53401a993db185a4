# shellcheck shell=bash
# The standby: clone the primary on first start, check it belongs to the same cluster on
# later starts, and always stream from the PRIMARY_HOST of the current environment.
# One attempt of wait_for_primary: the port first (cheap, polled every 50 ms while a primary
# initialises), then the command the clone needs next, which leaves the slot's SLOT_STATE. The
# last error goes into the caller's reply.
primary_answers() {
  upstream_port_open reply || return 1
  read_upstream_slot_state && return 0
  reply=$SLOT_ERROR
  refuse_on_permanent_error
  return 1
}

# Polls the upstream until it answers a replication connection or PRIMARY_WAIT_TIMEOUT passes.
wait_for_primary() {
  local reply=
  if ! wait_until "$PRIMARY_WAIT_TIMEOUT" 0.05 "primary ${PRIMARY_HOST}:${PRIMARY_PORT}" primary_answers; then
    stop_port_prober
    die "primary ${PRIMARY_HOST}:${PRIMARY_PORT} still unreachable after ${PRIMARY_WAIT_TIMEOUT} s (last error: ${reply//$'\n'/ }); check PRIMARY_HOST and PRIMARY_PORT, or raise PRIMARY_WAIT_TIMEOUT"
  fi
  stop_port_prober
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

# One attempt of drop_stale_slot: succeeds once the slot is gone; fails while a walsender of
# this standby's own cut-off clone holds it; any other answer ends the start.
slot_dropped() {
  local own_cut_off_clone=$1 reply
  if reply=$(replication_command "DROP_REPLICATION_SLOT \"$REPLICATION_SLOT\""); then
    notice "dropped the inactive replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}, left by an earlier standby of this name, to clone afresh"
    return 0
  fi
  case $reply in
    *"ERROR:  42704"*) return 0 ;;     # undefined_object: gone meanwhile
    *"ERROR:  55006"*)                 # object_in_use: a walsender streams from it
      [[ -n $own_cut_off_clone ]] \
        || die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is in use by another running standby ($(slot_holder)); two standbys cannot share a slot: give this one its own hostname or REPLICATION_SLOT"
      return 1 ;;
    *) die "could not drop the old replication slot $REPLICATION_SLOT: ${reply//$'\n'/ }" ;;
  esac
}

# Call after wait_for_primary, which read SLOT_STATE.
drop_stale_slot() {
  local own_cut_off_clone=${1:-}
  [[ $SLOT_STATE != absent ]] || return 0
  wait_until "$SLOT_RELEASE_TIMEOUT" 0.2 "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST}, in use, to be released by the connection of this standby's cut-off clone timing out" \
    slot_dropped "$own_cut_off_clone" \
    || die "replication slot $REPLICATION_SLOT on ${PRIMARY_HOST} is still in use after ${SLOT_RELEASE_TIMEOUT} s ($(slot_holder)); give each standby its own hostname or REPLICATION_SLOT"
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
    refuse_on_permanent_error
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

# One attempt of wait_for_identify_system; the reply (or the last error) goes into the caller's reply.
upstream_identifies() {
  reply=$(replication_command IDENTIFY_SYSTEM 3)
}

# Prints the upstream's IDENTIFY_SYSTEM reply once it answers; fails with the last error after
# PRIMARY_WAIT_TIMEOUT.
wait_for_identify_system() {
  local reply='' status=0
  wait_until "$PRIMARY_WAIT_TIMEOUT" 0.5 "${PRIMARY_HOST}:${PRIMARY_PORT} to rejoin it" upstream_identifies || status=$?
  printf '%s' "$reply"
  return "$status"
}

# start_as_promoted_primary ROLE_VAR WHY: this standby was promoted while it ran, and its
# PRIMARY_HOST is not a later primary to rejoin (WHY says what it is): it starts as the primary
# it already is, after the same PEERS check a primary makes, and is never demoted or waited for.
start_as_promoted_primary() {
  notice "PGDATA ($PGDATA) was promoted while it ran as a standby, and $2: starting it as the primary it is; set REPLICATION_ROLE=primary (without PRIMARY_HOST) when you next create its container"
  refuse_if_a_peer_was_promoted
  printf -v "$1" primary
}

# check_existing_standby ROLE_VAR: standby, once the data follows PRIMARY_HOST (rewound if it
# must be), or primary for a promoted standby's data that has no later primary to follow.
check_existing_standby() {
  local reply upstream_id upstream_timeline
  printf -v "$1" standby
  if reply=$(replication_command IDENTIFY_SYSTEM 3); then
    IFS='|' read -r upstream_id upstream_timeline _ <<<"$reply"
    if data_was_promoted && [[ $upstream_id == "$(local_system_identifier)" ]] && ((upstream_timeline <= $(local_timeline))); then
      start_as_promoted_primary "$1" "${PRIMARY_HOST}:${PRIMARY_PORT} is on timeline $upstream_timeline, not on a later one"
      return 0
    fi
  else
    refuse_on_permanent_error
    if data_was_promoted; then
      start_as_promoted_primary "$1" "${PRIMARY_HOST}:${PRIMARY_PORT} does not answer (${reply//$'\n'/ })"
      return 0
    fi
    if [[ -f "$PGDATA/standby.signal" ]]; then
      log "primary ${PRIMARY_HOST}:${PRIMARY_PORT} not reachable now; starting from local data, streaming resumes when it answers"
      return 0
    fi
    # A former primary can only rejoin through its upstream (pg_rewind): wait for it as a new standby would.
    reply=$(wait_for_identify_system) || refuse_on_permanent_error
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

# prepare_standby ROLE_VAR: the role the server is to start as: standby, or primary for a
# standby that was promoted while it ran (check_existing_standby).
prepare_standby() {
  printf -v "$1" standby
  write_passfile
  write_pgbackrest_conf
  remove_interrupted_restore
  local own_cut_off_clone=
  if clone_was_interrupted; then
    notice "the last clone into $PGDATA did not finish (this image's backup_label, no standby.signal); removing it to clone again"
    remove_partial_clone
    own_cut_off_clone=1
  fi
  refuse_foreign_backup
  if pgdata_is_initialised; then
    check_existing_standby "$1"
  else
    local -a entries
    shopt -s nullglob dotglob
    entries=("$PGDATA"/*)
    shopt -u nullglob dotglob
    ((${#entries[@]} == 0)) \
      || die "PGDATA ($PGDATA) is not empty but holds no cluster; empty it so the standby can clone its primary"
    wait_for_primary
    drop_stale_slot "$own_cut_off_clone"
    if [[ $CLONE_FROM == repository ]]; then
      clone_from_repository
    else
      clone_primary
    fi
  fi
  write_replication_conf "${!1}"
  # A cascading standby lets its own standbys in by its own REPLICATION_ALLOWED_CIDR.
  write_hba_replication_block
}
