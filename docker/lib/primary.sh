# shellcheck shell=bash
# The primary: initialise PGDATA on first start, then keep its replication role and settings
# current with the environment at every start.

# Written into the empty PGDATA before initdb runs, removed once the first start finished (roles,
# database, init scripts). Found later, it proves the directory holds only what that failed start
# created, however early it was cut short (a kill during initdb included).
readonly INIT_MARKER=postgres-replication.initialising
# initdb needs an empty directory, and PGDATA holds the marker: it builds the cluster here, below
# PGDATA, whose contents then move up into PGDATA.
readonly NEW_CLUSTER=postgres-replication.initdb
# The replication role as last set up: its name and a salted hash of its password, so a changed
# REPLICATION_USER or REPLICATION_PASSWORD is applied at the next start, and only then.
readonly ROLE_STATE=postgres-replication.role
# Raised whenever sync_replication_role grants more, so a cluster set up before gets it at its next start.
readonly ROLE_SETUP_VERSION=3

pgdata_is_initialised() {
  [[ -s "$PGDATA/PG_VERSION" ]]
}

first_start_was_cut_short() {
  [[ -f "$PGDATA/$INIT_MARKER" ]]
}

# Empties PGDATA (and the WAL directory initdb put elsewhere) of what a failed first start made.
# The marker goes last, so a kill during this is finished by the next start.
remove_failed_initialisation() {
  local wal_link wal_target
  for wal_link in "$PGDATA/pg_wal" "$PGDATA/$NEW_CLUSTER/pg_wal"; do
    [[ -L $wal_link ]] || continue
    wal_target=$(readlink -f "$wal_link")
    find "$wal_target" -mindepth 1 -delete
  done
  find "$PGDATA" -mindepth 1 ! -path "$PGDATA/$INIT_MARKER" -delete
  rm -f "$PGDATA/$INIT_MARKER"
}

# Before the marker is written: PGDATA must be empty, so that the marker only ever vouches for
# files this image made. initdb would refuse a non-empty directory too, only later.
require_empty_data_directory() {
  local -a entries=()
  local entry
  for entry in "$PGDATA"/* "$PGDATA"/.*; do
    [[ -e $entry || -L $entry ]] || continue
    [[ ${entry##*/} == . || ${entry##*/} == .. ]] || entries+=("${entry##*/}")
  done
  ((${#entries[@]} == 0)) \
    || die "PGDATA ($PGDATA) holds files (${entries[*]:0:3}) but no cluster (no PG_VERSION); empty it, or set PGDATA to a new directory below the volume"
}

init_database_directory() {
  local -a initdb_args=()
  read -ra initdb_args <<<"${POSTGRES_INITDB_ARGS:-}"
  if [[ -n ${POSTGRES_INITDB_WALDIR:-} ]]; then
    initdb_args+=(--waldir="$POSTGRES_INITDB_WALDIR")
  fi
  log "initialising a new primary in $PGDATA"
  require_empty_data_directory
  : >"$PGDATA/$INIT_MARKER"
  mkdir -m 0700 "$PGDATA/$NEW_CLUSTER"
  # PGDATA, as on a standby; and the directory initdb fills, whose subdirectories move up.
  spread_new_cluster_over_file_system "$PGDATA" "$PGDATA/$NEW_CLUSTER"
  # --no-sync, then one syncfs per file system below: the same data on disk before anything
  # else runs, for a fraction of initdb's fsync of every file (docs/performance.md).
  initdb_args=(--pgdata="$PGDATA/$NEW_CLUSTER" --username="$POSTGRES_USER" --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" --no-sync "${initdb_args[@]}")
  # Without a password (POSTGRES_HOST_AUTH_METHOD=trust) the superuser gets none, as in the official image.
  # The password reaches initdb through a pipe, never an argument or a file.
  if [[ -n $POSTGRES_PASSWORD ]]; then
    with_passwd_entry initdb --pwfile=/dev/stdin "${initdb_args[@]}" >/dev/null <<<"$POSTGRES_PASSWORD"
  else
    with_passwd_entry initdb "${initdb_args[@]}" >/dev/null
  fi || die "initdb failed (its words are above); check POSTGRES_USER, POSTGRES_INITDB_ARGS and POSTGRES_INITDB_WALDIR"
  # initdb makes no dot files; one mv for all of them (every process delays the start).
  mv "$PGDATA/$NEW_CLUSTER"/* "$PGDATA/"
  rmdir "$PGDATA/$NEW_CLUSTER"
  sync -f "$PGDATA" ${POSTGRES_INITDB_WALDIR:+"$POSTGRES_INITDB_WALDIR"} \
    || die "could not flush the new cluster in $PGDATA to disk; check the volume"
}

# initdb made these three; the official image skips POSTGRES_DB when it exists, so does this.
# Sets DATABASE_SQL for the replication role's single-user run to take along: one server start fewer.
create_database_sql() {
  DATABASE_SQL=
  [[ $POSTGRES_DB != postgres && $POSTGRES_DB != template0 && $POSTGRES_DB != template1 ]] || return 0
  local database
  sql_identifier database "$POSTGRES_DB"
  DATABASE_SQL="CREATE DATABASE $database;"
}

# password_fingerprint VAR SALT: a salted SHA-256 of the replication password into VAR, as hex:
# enough to tell that the password changed, not to find it.
password_fingerprint() {
  local hash _
  read -r hash _ < <(printf '%s:%s' "$2" "$REPLICATION_PASSWORD" | sha256sum)
  printf -v "$1" '%s' "$hash"
}

# Creates REPLICATION_USER, or updates its password, when the environment differs from what
# ROLE_STATE says was set up; a former replication role loses REPLICATION. Single-user mode:
# the server is not running yet. A new primary passes its CREATE DATABASE, run in the same session.
sync_replication_role() {
  local database_sql=${1:-} what="setting up REPLICATION_USER '$REPLICATION_USER'"
  if [[ -n $database_sql ]]; then
    what="creating POSTGRES_DB '$POSTGRES_DB' and $what"
  fi
  local state="$PGDATA/$ROLE_STATE" previous_user='' salt='' fingerprint='' version='' current=''
  if [[ -f $state ]]; then
    IFS=$'\t' read -r previous_user salt fingerprint version <"$state" || true
  fi
  if [[ -n $REPLICATION_PASSWORD && $previous_user == "$REPLICATION_USER" && $version == "$ROLE_SETUP_VERSION" && -n $salt ]]; then
    password_fingerprint current "$salt"
  fi
  if [[ -z $REPLICATION_PASSWORD ]] || [[ -n $current && $current == "$fingerprint" ]]; then
    [[ -z $database_sql ]] || run_single_user_sql "creating POSTGRES_DB '$POSTGRES_DB'" "$database_sql" postgres
    return 0
  fi
  local role name password sql=$database_sql
  sql_identifier role "$REPLICATION_USER"
  sql_literal name "$REPLICATION_USER"
  sql_literal password "$REPLICATION_PASSWORD"
  [[ -z $sql ]] || sql+=$'\n'
  sql+="DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = $name) THEN CREATE ROLE $role; END IF; END\$\$;"
  sql+=$'\n'"ALTER ROLE $role WITH REPLICATION LOGIN PASSWORD $password;"
  # pg_monitor lets a standby's healthcheck read pg_stat_wal_receiver without a superuser.
  sql+=$'\n'"GRANT pg_monitor TO $role;"
  # pg_checkpoint lets a rejoining node make a just-promoted primary write its new timeline to
  # its control file, which pg_rewind reads (before 16 it would otherwise see the old one).
  sql+=$'\n'"GRANT pg_checkpoint TO $role;"
  # pg_rewind reads the new primary's files through these functions when a former primary rejoins.
  local function
  for function in 'pg_ls_dir(text, boolean, boolean)' 'pg_stat_file(text, boolean)' \
    'pg_read_binary_file(text)' 'pg_read_binary_file(text, bigint, bigint, boolean)'; do
    sql+=$'\n'"GRANT EXECUTE ON FUNCTION pg_catalog.$function TO $role;"
  done
  if [[ -n $previous_user && $previous_user != "$REPLICATION_USER" ]]; then
    local previous_role previous_name
    sql_identifier previous_role "$previous_user"
    sql_literal previous_name "$previous_user"
    sql+=$'\n'"DO \$\$BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = $previous_name) THEN ALTER ROLE $previous_role NOREPLICATION; END IF; END\$\$;"
  fi
  # In the database pg_rewind connects to: function privileges belong to each database.
  run_single_user_sql "$what" "$sql" postgres
  # 64 bits from the kernel's random source (bash's SRANDOM), without starting od.
  printf -v salt '%08x%08x' "$SRANDOM" "$SRANDOM"
  password_fingerprint fingerprint "$salt"
  (
    umask 077
    printf '%s\t%s\t%s\t%s\n' "$REPLICATION_USER" "$salt" "$fingerprint" "$ROLE_SETUP_VERSION" >"$state.tmp"
  )
  mv "$state.tmp" "$state"
  if [[ -z $previous_user || ($previous_user == "$REPLICATION_USER" && $version != "$ROLE_SETUP_VERSION") ]]; then
    log "replication role $REPLICATION_USER is ready"
  elif [[ $previous_user != "$REPLICATION_USER" ]]; then
    notice "replication role is now $REPLICATION_USER; $previous_user may no longer replicate"
  else
    notice "the password of replication role $REPLICATION_USER was changed; standbys need the new REPLICATION_PASSWORD"
  fi
}

has_init_files() {
  compgen -G '/docker-entrypoint-initdb.d/*' >/dev/null
}

run_init_file() {
  local file=$1 database
  # dbname as a connection string: a database name with "=" is not taken for one.
  conninfo_quote database "$POSTGRES_DB"
  local -a psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER"
    --dbname "dbname=$database")
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
# A failing file stops the start; the marker stays, so the next start begins again from scratch.
run_init_files() {
  has_init_files || return 0
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c log_statement=none" -w start >/dev/null \
    || die "the temporary server for /docker-entrypoint-initdb.d did not start (see above)"
  local file
  for file in /docker-entrypoint-initdb.d/*; do
    (run_init_file "$file") || {
      pg_ctl -D "$PGDATA" -m immediate -w stop >/dev/null || true
      die "$file failed (see above); fix it, then start again: this primary will be initialised anew"
    }
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
}

initialise_primary() {
  [[ -n $POSTGRES_PASSWORD || $POSTGRES_HOST_AUTH_METHOD == trust ]] \
    || die "POSTGRES_PASSWORD is not set; a new primary needs a superuser password (or POSTGRES_PASSWORD_FILE; POSTGRES_HOST_AUTH_METHOD=trust to go without, unsafe)"
  init_database_directory
  write_base_hba
  create_database_sql
  sync_replication_role "$DATABASE_SQL"
  run_init_files
  rm -f "$PGDATA/$INIT_MARKER"
}

prepare_primary() {
  local new=
  write_pgbackrest_conf
  if first_start_was_cut_short; then
    notice "the first start of this primary did not finish; emptying $PGDATA, which holds only what that start created, to initialise it again"
    remove_failed_initialisation
  fi
  if pgdata_is_initialised; then
    [[ ! -f "$PGDATA/standby.signal" ]] \
      || die "PGDATA ($PGDATA) holds a standby, but REPLICATION_ROLE is primary; start it with REPLICATION_ROLE=standby, or promote it first with SELECT pg_promote()"
    refuse_if_a_peer_was_promoted
    log "starting the primary from the existing data in $PGDATA"
    sync_replication_role
  elif primary_restore_requested; then
    # The restored cluster keeps its own roles and pg_hba.conf; it recovers when the server starts.
    restore_primary
    new=restored
  else
    initialise_primary
  fi
  write_replication_conf primary
  write_hba_replication_block
  [[ $new == restored ]] || ensure_stanza
  if [[ -z $REPLICATION_PASSWORD ]]; then
    notice "replication is closed: REPLICATION_PASSWORD is not set, so no standby may connect; set it (or REPLICATION_PASSWORD_FILE) and restart to open it"
  fi
}
