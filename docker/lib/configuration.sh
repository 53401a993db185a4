# shellcheck shell=bash
# Server settings, pg_hba.conf lines and the replication passfile, rewritten from the
# environment at every start so that a changed variable takes effect on restart.

readonly REPLICATION_CONF=postgresql.replication.conf
readonly PASSFILE=/var/run/postgresql/replication.pgpass
readonly HBA_BEGIN='# BEGIN postgres-replication (rewritten at every start from REPLICATION_USER and REPLICATION_ALLOWED_CIDR)'
readonly HBA_END='# END postgres-replication'

# A value inside single quotes in postgresql.conf, where a backslash is an escape character.
conf_quote() {
  local value=${1//\\/\\\\}
  printf "'%s'" "${value//\'/\'\'}"
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
# pg_rewind needs hint-bit changes in the WAL (or data checksums): a former primary can then rejoin
# as a standby without a new clone.
wal_log_hints = on
max_connections = ${MAX_CONNECTIONS}
max_wal_senders = ${MAX_WAL_SENDERS}
max_replication_slots = ${MAX_REPLICATION_SLOTS}
wal_keep_size = $(conf_quote "$WAL_KEEP_SIZE")
max_slot_wal_keep_size = $(conf_quote "$MAX_SLOT_WAL_KEEP_SIZE")
password_encryption = 'scram-sha-256'
# A peer that vanished (network cut, node lost) must not hold a walsender, and with it WAL
# recycling and checkpoints, until the kernel gives up after about 15 minutes.
tcp_user_timeout = ${TCP_USER_TIMEOUT}
CONF
}

# Written on standbys too: they take effect when a standby is promoted, so a failover keeps
# synchronous replication (the names should list every node that may stream from the new primary).
write_synchronous_settings() {
  if [[ -n ${SYNCHRONOUS_STANDBY_NAMES:-} ]]; then
    echo "synchronous_standby_names = $(conf_quote "$SYNCHRONOUS_STANDBY_NAMES")"
  fi
  if [[ -n ${SYNCHRONOUS_COMMIT:-} ]]; then
    echo "synchronous_commit = $(conf_quote "$SYNCHRONOUS_COMMIT")"
  fi
}

primary_conninfo() {
  printf 'host=%s port=%s user=%s passfile=%s application_name=%s tcp_user_timeout=%s keepalives_idle=10 keepalives_interval=5 keepalives_count=3' \
    "$(conninfo_quote "$PRIMARY_HOST")" "$PRIMARY_PORT" "$REPLICATION_USER" "$PASSFILE" "$REPLICATION_SLOT" "$TCP_USER_TIMEOUT"
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
    write_synchronous_settings
    [[ $role == primary ]] || write_standby_settings
  } >"$file.tmp"
  mv "$file.tmp" "$file"
  include_replication_conf
}

# The gateways of this container's IPv4 networks: the default route's, and the first address of
# each attached subnet, which is where Docker puts a network's gateway. A client of a published
# port arrives from there, so "samenet" alone would let any client of the host replicate.
network_gateways() {
  local interface destination gateway mask address
  while read -r interface destination gateway _ _ _ _ mask _; do
    [[ $interface != Iface ]] || continue
    if [[ $gateway != 00000000 ]]; then
      address=$gateway
    elif [[ $destination != 00000000 && $mask != FFFFFFFF && $mask != FEFFFFFF ]]; then
      # The first host of the subnet: /proc/net/route holds addresses in little-endian hex.
      address=$(printf '%08X' $(((0x$destination & 0x00FFFFFF) | (((0x$destination >> 24) + 1) << 24))))
    else
      continue
    fi
    printf '%d.%d.%d.%d\n' $((0x${address:6:2})) $((0x${address:4:2})) $((0x${address:2:2})) $((0x${address:0:2}))
  done </proc/net/route | sort -u
}

# Only REPLICATION_USER may replicate, only from REPLICATION_ALLOWED_CIDR, always with SCRAM.
# Without a replication password (a primary used as a plain postgres) nobody may replicate.
write_hba_replication_block() {
  local hba="$PGDATA/pg_hba.conf" entry gateway
  {
    awk -v begin="$HBA_BEGIN" -v end="$HBA_END" '$0 == begin { skip = 1 } !skip { print } $0 == end { skip = 0 }' "$hba"
    echo "$HBA_BEGIN"
    if [[ -n $REPLICATION_PASSWORD ]]; then
      if [[ ,$REPLICATION_ALLOWED_CIDR, == *,samenet,* ]]; then
        for gateway in $(network_gateways); do
          printf 'host    replication  all          %-18s reject\n' "$gateway/32"
        done
      fi
      for entry in ${REPLICATION_ALLOWED_CIDR//,/ }; do
        printf 'host    replication  %-12s %-18s scram-sha-256\n' "\"$REPLICATION_USER\"" "$entry"
      done
    fi
    echo "$HBA_END"
  } >"$hba.tmp"
  mv "$hba.tmp" "$hba"
}

# Replaces initdb's pg_hba.conf: sockets inside the container are trusted (as in the official
# image); TCP connections use POSTGRES_HOST_AUTH_METHOD, SCRAM unless the user chose otherwise.
write_base_hba() {
  cat >"$PGDATA/pg_hba.conf" <<HBA
# TYPE  DATABASE     USER         ADDRESS            METHOD
local   all          all                             trust
host    all          all          all                ${POSTGRES_HOST_AUTH_METHOD}
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
