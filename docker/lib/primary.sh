# shellcheck shell=bash
# The primary: initialise PGDATA on first start, then keep its replication settings current.

pgdata_is_initialised() {
  [[ -s "$PGDATA/PG_VERSION" ]]
}

# Single-quoted SQL literal (standard_conforming_strings is on).
sql_literal() {
  printf "'%s'" "${1//\'/\'\'}"
}

sql_identifier() {
  printf '"%s"' "${1//\"/\"\"}"
}

init_database_directory() {
  local -a initdb_args=()
  read -ra initdb_args <<<"${POSTGRES_INITDB_ARGS:-}"
  log "initialising a new primary in $PGDATA"
  spread_new_cluster_over_file_system
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 "${initdb_args[@]}" >/dev/null \
    || die "initdb failed (see above); check POSTGRES_INITDB_ARGS"
}

# Runs SQL in single-user mode: no server, no socket, no second start. The SQL (with the
# password) goes through stdin, never into a process list, and failed statements are not
# echoed into the log.
run_single_user_sql() {
  local sql=$1 output
  output=$(postgres --single -D "$PGDATA" -c log_min_error_statement=panic -c log_statement=none \
    template1 <<<"$sql" 2>&1 >/dev/null) || true
  if grep -qE '^(ERROR|FATAL|PANIC):' <<<"$output"; then
    grep -E '^(ERROR|FATAL|PANIC):' <<<"$output" >&2
    die "setting up the primary's roles failed (see the line above)"
  fi
}

create_replication_role_and_database() {
  local sql
  sql="CREATE ROLE $(sql_identifier "$REPLICATION_USER") WITH REPLICATION LOGIN PASSWORD $(sql_literal "$REPLICATION_PASSWORD");"
  # pg_monitor lets the standby's healthcheck read pg_stat_wal_receiver without a superuser.
  sql+=$'\n'"GRANT pg_monitor TO $(sql_identifier "$REPLICATION_USER");"
  if [[ $POSTGRES_DB != postgres ]]; then
    sql+=$'\n'"CREATE DATABASE $(sql_identifier "$POSTGRES_DB");"
  fi
  run_single_user_sql "$sql"
}

has_init_files() {
  compgen -G '/docker-entrypoint-initdb.d/*' >/dev/null
}

run_init_file() {
  local file=$1
  local -a psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB")
  case $file in
    *.sh)
      if [[ -x $file ]]; then
        log "running $file"; "$file"
      else
        log "sourcing $file"
        # shellcheck disable=SC1090 # user-supplied init script
        . "$file"
      fi ;;
    *.sql) log "running $file"; "${psql[@]}" -f "$file" >/dev/null ;;
    *.sql.gz) log "running $file"; gunzip -c "$file" | "${psql[@]}" >/dev/null ;;
    *.sql.xz) log "running $file"; xzcat "$file" | "${psql[@]}" >/dev/null ;;
    *.sql.zst) log "running $file"; zstd -dc "$file" | "${psql[@]}" >/dev/null ;;
    *) log "ignoring $file" ;;
  esac
}

# Init files need a server; it listens on the socket only, so nobody connects before setup ends.
run_init_files() {
  has_init_files || return 0
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c log_statement=none" -w start >/dev/null \
    || die "the temporary server for /docker-entrypoint-initdb.d did not start (see above)"
  local file
  for file in /docker-entrypoint-initdb.d/*; do
    run_init_file "$file"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
}

prepare_primary() {
  if pgdata_is_initialised; then
    [[ ! -f "$PGDATA/standby.signal" ]] \
      || die "PGDATA ($PGDATA) holds a standby, but REPLICATION_ROLE is primary; start it with REPLICATION_ROLE=standby, or promote it first with SELECT pg_promote()"
    log "starting the primary from the existing data in $PGDATA"
  else
    [[ -n $POSTGRES_PASSWORD ]] \
      || die "POSTGRES_PASSWORD is not set; a new primary needs a superuser password (or POSTGRES_PASSWORD_FILE)"
    init_database_directory
    write_base_hba
    create_replication_role_and_database
    run_init_files
  fi
  write_replication_conf primary
  write_hba_replication_block
}
