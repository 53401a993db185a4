# shellcheck shell=bash
# Rejoining without a new clone: a node whose data left its upstream's history (a former
# primary, or a standby that received WAL the promoted standby never had) is rewound with
# pg_rewind to the point where the histories forked, and then follows the upstream as a standby.

# pg_rewind needs data checksums or wal_log_hints since the histories forked; the image turns
# wal_log_hints on at every start, so only a cluster never started by it lacks both.
rewind_is_possible() {
  [[ $(control_value 'wal_log_hints setting') == on || $(control_value 'Data page checksum version') != 0 ]]
}

# rewind_to_upstream UPSTREAM_TIMELINE: runs pg_rewind against PRIMARY_HOST as REPLICATION_USER
# (granted the file functions it reads with), then leaves PGDATA a standby's. pg_rewind says "no
# rewind required" and changes nothing when this node's history is a prefix of the upstream's.
rewind_to_upstream() {
  local upstream_timeline=$1 local_tli output
  local_tli=$(local_timeline)
  rewind_is_possible \
    || die "PGDATA ($PGDATA) left ${PRIMARY_HOST}'s history (timeline $local_tli, ${PRIMARY_HOST} is on $upstream_timeline) and cannot be rewound: it has neither data checksums nor wal_log_hints; move this volume aside and start the standby on an empty one to clone it (nothing was deleted)"
  log "rewinding $PGDATA (timeline $local_tli) to ${PRIMARY_HOST}:${PRIMARY_PORT} (timeline $upstream_timeline) with pg_rewind"
  # A promotion's end-of-recovery checkpoint may still be running: pg_rewind before 16 reads the
  # timeline from the upstream's control file and would find no divergence. A failed request
  # (a role set up before it could) leaves pg_rewind to find out itself.
  upstream_query CHECKPOINT >/dev/null || notice "could not ask ${PRIMARY_HOST} for a checkpoint before pg_rewind; going on"
  # A standby that was killed is not shut down cleanly; pg_rewind then recovers it in single-user
  # mode first, which cannot run in standby mode, so standby.signal waits aside.
  # Until standby.signal is back, the data must not pass for a promoted standby's.
  record_started_role rewinding
  rm -f "$PGDATA/standby.signal"
  release_own_stale_lock
  if ! output=$(with_passwd_entry pg_rewind --target-pgdata="$PGDATA" \
    --source-server="$UPSTREAM_CONNINFO dbname=postgres" 2>&1); then
    touch "$PGDATA/standby.signal"
    printf '%s\n' "$output" | tail -n 3 | sed 's/^/  /' >&2
    die "pg_rewind against ${PRIMARY_HOST}:${PRIMARY_PORT} failed (its words are above); the data was left for another try; to start over instead, move this volume aside and start the standby on an empty one"
  fi
  touch "$PGDATA/standby.signal"
  log "rewound: $(printf '%s\n' "$output" | tail -n 1)"
}

# A standby with data, whatever it was before: same cluster as its upstream, and on its history.
# Called once the upstream answered IDENTIFY_SYSTEM (REPLY: systemid|timeline|xlogpos|dbname).
follow_upstream_history() {
  local reply=$1 upstream_id upstream_timeline local_id local_tli rest
  IFS='|' read -r upstream_id upstream_timeline rest <<<"$reply"
  local_id=$(local_system_identifier)
  [[ $upstream_id == "$local_id" ]] \
    || die "PGDATA ($PGDATA) belongs to another cluster (system identifier $local_id, ${PRIMARY_HOST} has $upstream_id); give this standby an empty volume, or point PRIMARY_HOST at its own primary"
  local_tli=$(local_timeline)
  if ((local_tli > upstream_timeline)); then
    die "PGDATA ($PGDATA) is on timeline $local_tli, later than ${PRIMARY_HOST}'s $upstream_timeline: ${PRIMARY_HOST} is behind this node (a former primary?); point PRIMARY_HOST at the current primary"
  fi
  if [[ ! -f "$PGDATA/standby.signal" ]] && ((local_tli == upstream_timeline)); then
    die "PGDATA ($PGDATA) holds a primary's data on timeline $local_tli, the same as ${PRIMARY_HOST}'s: nothing was promoted after it, so it cannot follow ${PRIMARY_HOST}; to make it a standby, promote ${PRIMARY_HOST} first, or give this node an empty volume to clone into"
  fi
  if ((local_tli < upstream_timeline)); then
    rewind_to_upstream "$upstream_timeline"
  fi
}
