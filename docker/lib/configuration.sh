# shellcheck shell=bash
# Server settings, pg_hba.conf lines and the replication passfile, rewritten from the
# environment at every start so that a changed variable takes effect on restart.

readonly REPLICATION_CONF=postgresql.replication.conf
readonly PASSFILE=/var/run/postgresql/replication.pgpass
readonly HBA_BEGIN='# BEGIN postgres-replication (rewritten at every start from REPLICATION_USER and REPLICATION_ALLOWED_CIDR)'
readonly HBA_END='# END postgres-replication'

# conf_quote VAR VALUE: VALUE inside single quotes in postgresql.conf, where a backslash is an
# escape character, into VAR (no subshell: each costs milliseconds of every start).
conf_quote() {
  local quoted_value=${2//\\/\\\\}
  printf -v "$1" "'%s'" "${quoted_value//\'/\'\'}"
}

# conninfo_quote VAR VALUE: VALUE inside single quotes in a libpq connection string, into VAR.
conninfo_quote() {
  local quoted_value=${2//\\/\\\\}
  printf -v "$1" "'%s'" "${quoted_value//\'/\\\'}"
}

# Prints its standard input: a here-document without starting cat.
print_input() {
  local line
  while IFS= read -r line; do
    printf '%s\n' "$line"
  done
}

include_replication_conf() {
  local line="include_if_exists = '${REPLICATION_CONF}'" existing
  while IFS= read -r existing; do
    [[ $existing != "$line" ]] || return 0
  done <"$PGDATA/postgresql.conf"
  printf '\n# Replication settings from the environment (postgres-replication).\n%s\n' "$line" >>"$PGDATA/postgresql.conf"
}

write_common_settings() {
  local wal_keep max_slot_keep
  conf_quote wal_keep "$WAL_KEEP_SIZE"
  conf_quote max_slot_keep "$MAX_SLOT_WAL_KEEP_SIZE"
  print_input <<CONF
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
wal_keep_size = ${wal_keep}
max_slot_wal_keep_size = ${max_slot_keep}
password_encryption = 'scram-sha-256'
# A peer that vanished (network cut, node lost) must not hold a walsender, and with it WAL
# recycling and checkpoints, until the kernel gives up after about 15 minutes.
tcp_user_timeout = ${TCP_USER_TIMEOUT}
CONF
}

# Written on standbys too: they take effect when a standby is promoted, so a failover keeps
# synchronous replication (the names should list every node that may stream from the new primary).
write_synchronous_settings() {
  local quoted
  if [[ -n ${SYNCHRONOUS_STANDBY_NAMES:-} ]]; then
    conf_quote quoted "$SYNCHRONOUS_STANDBY_NAMES"
    echo "synchronous_standby_names = $quoted"
  fi
  if [[ -n ${SYNCHRONOUS_COMMIT:-} ]]; then
    conf_quote quoted "$SYNCHRONOUS_COMMIT"
    echo "synchronous_commit = $quoted"
  fi
}

write_standby_settings() {
  local conninfo slot
  printf -v conninfo '%s application_name=%s tcp_user_timeout=%s keepalives_idle=10 keepalives_interval=5 keepalives_count=3' \
    "$UPSTREAM_CONNINFO" "$REPLICATION_SLOT" "$TCP_USER_TIMEOUT"
  conf_quote conninfo "$conninfo"
  conf_quote slot "$REPLICATION_SLOT"
  print_input <<CONF
primary_conninfo = ${conninfo}
primary_slot_name = ${slot}
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
    write_backup_settings
    [[ $role == primary ]] || write_standby_settings
  } >"$file.tmp"
  mv "$file.tmp" "$file"
  include_replication_conf
}

# The gateways of this container's IPv4 networks: the default route's, and the first address of
# each attached subnet, which is where Docker puts a network's gateway. A client of a published
# port arrives from there, so "samenet" alone would let any client of the host replicate.
# Into the array GATEWAYS, each address once.
read_network_gateways() {
  local interface destination gateway mask address
  local -A seen=()
  GATEWAYS=()
  while read -r interface destination gateway _ _ _ _ mask _; do
    [[ $interface != Iface ]] || continue
    if [[ $gateway != 00000000 ]]; then
      address=$gateway
    elif [[ $destination != 00000000 && $mask != FFFFFFFF && $mask != FEFFFFFF ]]; then
      # The first host of the subnet: /proc/net/route holds addresses in little-endian hex.
      printf -v address '%08X' $(((0x$destination & 0x00FFFFFF) | (((0x$destination >> 24) + 1) << 24)))
    else
      continue
    fi
    printf -v address '%d.%d.%d.%d' $((0x${address:6:2})) $((0x${address:4:2})) $((0x${address:2:2})) $((0x${address:0:2}))
    [[ -n ${seen[$address]:-} ]] || GATEWAYS+=("$address")
    seen[$address]=1
  done </proc/net/route
}

# Only REPLICATION_USER may replicate, only from REPLICATION_ALLOWED_CIDR, always with SCRAM.
# Without a replication password (a primary used as a plain postgres) nobody may replicate.
write_hba_replication_block() {
  local hba="$PGDATA/pg_hba.conf" entry gateway line skip=
  {
    # The user's lines stay as they are; the block between the markers is written anew.
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line != "$HBA_BEGIN" ]] || skip=1
      [[ -n $skip ]] || printf '%s\n' "$line"
      [[ $line != "$HBA_END" ]] || skip=
    done <"$hba"
    echo "$HBA_BEGIN"
    if [[ -n $REPLICATION_PASSWORD ]]; then
      if [[ ,$REPLICATION_ALLOWED_CIDR, == *,samenet,* ]]; then
        read_network_gateways
        for gateway in "${GATEWAYS[@]}"; do
          printf 'host    replication  all          %-18s reject\n' "$gateway/32"
        done
      fi
      local -a entries=()
      IFS=', ' read -ra entries <<<"$REPLICATION_ALLOWED_CIDR"
      for entry in "${entries[@]}"; do
        [[ -n $entry ]] || continue
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
  print_input >"$PGDATA/pg_hba.conf" <<HBA
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
