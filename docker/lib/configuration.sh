# shellcheck shell=bash
# Server settings, pg_hba.conf lines and the replication passfile, rewritten from the
# environment at every start so that a changed variable takes effect on restart.

readonly REPLICATION_CONF=postgresql.replication.conf
readonly PASSFILE=/var/run/postgresql/replication.pgpass
readonly HBA_BEGIN='# BEGIN postgres-replication (rewritten at every start from REPLICATION_USER and REPLICATION_ALLOWED_CIDR)'
readonly HBA_END='# END postgres-replication'

# A value inside single quotes in postgresql.conf.
conf_quote() {
  printf "'%s'" "${1//\'/\'\'}"
}

# A value inside single quotes in a libpq connection string.
conninfo_quote() {
  local value=${1//\\/\\\\}
  printf "'%s'" "${value//\'/\\\'}"
}

include_replication_conf() {
  local line="include_if_exists = '${REPLICATION_CONF}'"
  grep -qxF "$line" "$PGDATA/postgresql.conf" \
    || printf '\n# Replication settings from the environment (postgres-replication).\n%s\n' "$line" >>"$PGDATA/postgresql.conf"
}

write_common_settings() {
  cat <<CONF
# Written by the postgres-replication entrypoint at every start, from the environment.
# Edits here are lost: change the environment, or pass -c name=value, which wins over this file.
wal_level = replica
hot_standby = on
max_connections = ${MAX_CONNECTIONS}
max_wal_senders = ${MAX_WAL_SENDERS}
max_replication_slots = ${MAX_REPLICATION_SLOTS}
wal_keep_size = $(conf_quote "$WAL_KEEP_SIZE")
max_slot_wal_keep_size = $(conf_quote "$MAX_SLOT_WAL_KEEP_SIZE")
password_encryption = 'scram-sha-256'
CONF
}

write_primary_settings() {
  if [[ -n ${SYNCHRONOUS_STANDBY_NAMES:-} ]]; then
    echo "synchronous_standby_names = $(conf_quote "$SYNCHRONOUS_STANDBY_NAMES")"
  fi
  if [[ -n ${SYNCHRONOUS_COMMIT:-} ]]; then
    echo "synchronous_commit = $(conf_quote "$SYNCHRONOUS_COMMIT")"
  fi
}

primary_conninfo() {
  printf 'host=%s port=%s user=%s passfile=%s application_name=%s' \
    "$(conninfo_quote "$PRIMARY_HOST")" "$PRIMARY_PORT" "$REPLICATION_USER" "$PASSFILE" "$REPLICATION_SLOT"
}

write_standby_settings() {
  cat <<CONF
primary_conninfo = $(conf_quote "$(primary_conninfo)")
primary_slot_name = $(conf_quote "$REPLICATION_SLOT")
recovery_target_timeline = 'latest'
# Reconnect quickly after the primary restarts (the default waits 5 s between attempts).
wal_retrieve_retry_interval = '1s'
CONF
}

write_replication_conf() {
  local role=$1 file="$PGDATA/$REPLICATION_CONF"
  {
    write_common_settings
    if [[ $role == primary ]]; then write_primary_settings; else write_standby_settings; fi
  } >"$file.tmp"
  mv "$file.tmp" "$file"
  include_replication_conf
}

# Only REPLICATION_USER may replicate, only from REPLICATION_ALLOWED_CIDR, always with SCRAM.
write_hba_replication_block() {
  local hba="$PGDATA/pg_hba.conf" entry
  {
    awk -v begin="$HBA_BEGIN" -v end="$HBA_END" '$0 == begin { skip = 1 } !skip { print } $0 == end { skip = 0 }' "$hba"
    echo "$HBA_BEGIN"
    for entry in ${REPLICATION_ALLOWED_CIDR//,/ }; do
      printf 'host    replication  %-12s %-18s scram-sha-256\n' "$REPLICATION_USER" "$entry"
    done
    echo "$HBA_END"
  } >"$hba.tmp"
  mv "$hba.tmp" "$hba"
}

# Replaces initdb's pg_hba.conf: sockets inside the container are trusted (as in the official
# image); every TCP connection needs a SCRAM password; no trust line for any host.
write_base_hba() {
  cat >"$PGDATA/pg_hba.conf" <<'HBA'
# TYPE  DATABASE     USER         ADDRESS            METHOD
local   all          all                             trust
host    all          all          all                scram-sha-256
HBA
}

# pgpass escapes ':' and '\'; mode 0600 so only postgres reads it.
write_passfile() {
  local password=${REPLICATION_PASSWORD//\\/\\\\}
  password=${password//:/\\:}
  (
    umask 077
    printf '*:*:*:%s:%s\n' "$REPLICATION_USER" "$password" >"$PASSFILE"
  )
}
