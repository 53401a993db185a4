# shellcheck shell=bash
# Reads and checks the environment contract (see the README's table). Every check runs before
# any data is touched, so a refusal leaves PGDATA as it was.

# file_env VAR [DEFAULT]: VAR from VAR or from the file named by VAR_FILE (Docker/Kubernetes secrets).
file_env() {
  local var=$1 default=${2:-} file_var="${1}_FILE"
  local value=${!var:-} file=${!file_var:-}
  if [[ -n $value && -n $file ]]; then
    die "both $var and $file_var are set; set only one of them"
  fi
  if [[ -n $file ]]; then
    [[ -r $file ]] || die "$file_var points at $file, which cannot be read; mount the secret there or fix the path"
    value=$(<"$file")
  fi
  export "$var=${value:-$default}"
  unset "$file_var"
}

resolve_role() {
  local role=${REPLICATION_ROLE:-primary}
  role=${role,,}
  case $role in
    primary | standby) ;;
    master)
      notice "REPLICATION_ROLE=master is deprecated; use REPLICATION_ROLE=primary"
      role=primary ;;
    slave)
      notice "REPLICATION_ROLE=slave is deprecated; use REPLICATION_ROLE=standby"
      role=standby ;;
    *) die "REPLICATION_ROLE='${REPLICATION_ROLE}' is not a role; set it to primary or standby" ;;
  esac
  export REPLICATION_ROLE=$role
}

# The tutorial's names still work, so existing compose files keep running.
resolve_primary_address() {
  export PRIMARY_HOST=${PRIMARY_HOST:-${POSTGRES_MASTER_SERVICE_HOST:-}}
  export PRIMARY_PORT=${PRIMARY_PORT:-${POSTGRES_MASTER_SERVICE_PORT:-5432}}
}

# The kernel's host name, read without starting a process.
read_hostname() {
  read -r HOST_NAME </proc/sys/kernel/hostname 2>/dev/null || read -r HOST_NAME </etc/hostname
}

# Docker names a container's host after its id when no --hostname is given: a new id, so a new
# slot, at every recreation, and the old ones would hold WAL on the primary until it fills.
hostname_is_container_id() {
  local mount
  [[ $HOST_NAME =~ ^[0-9a-f]{12}$ ]] || return 1
  while read -r mount; do
    [[ $mount =~ /containers/${HOST_NAME}[0-9a-f]*/hostname\  ]] && return 0
  done </proc/self/mountinfo
  return 1
}

resolve_slot_name() {
  if [[ -n ${REPLICATION_SLOT:-} ]]; then
    export REPLICATION_SLOT
    return 0
  fi
  read_hostname
  if [[ $REPLICATION_ROLE == standby ]] && hostname_is_container_id; then
    die "this standby has no stable name: its hostname is the container id $HOST_NAME, which changes with every new container and would leave a replication slot behind each time; start it with --hostname NAME (compose: hostname:) or set REPLICATION_SLOT"
  fi
  # A slot name is [a-z0-9_]{1,63}; a hostname such as standby-1 becomes standby_1.
  local name=${HOST_NAME,,}
  name=${name//[^a-z0-9_]/_}
  export REPLICATION_SLOT=${name:0:63}
}

resolve_wal_keep_size() {
  if [[ -n ${WAL_KEEP_SEGMENTS:-} ]]; then
    require_count WAL_KEEP_SEGMENTS 0 100000000
    if [[ -n ${WAL_KEEP_SIZE:-} ]]; then
      notice "WAL_KEEP_SEGMENTS is ignored because WAL_KEEP_SIZE is set (PostgreSQL 13 removed wal_keep_segments)"
    else
      export WAL_KEEP_SIZE="$((WAL_KEEP_SEGMENTS * 16))MB"
      notice "WAL_KEEP_SEGMENTS=${WAL_KEEP_SEGMENTS} converted to WAL_KEEP_SIZE=${WAL_KEEP_SIZE} (PostgreSQL 13 removed wal_keep_segments); set WAL_KEEP_SIZE instead"
    fi
  fi
  export WAL_KEEP_SIZE=${WAL_KEEP_SIZE:-128MB}
}

# Users of the official image may pass any of its host auth methods; trust opens every database
# to anyone who can reach the port, so it is said loudly at every start.
check_host_auth_method() {
  export POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  [[ $POSTGRES_HOST_AUTH_METHOD =~ ^(scram-sha-256|md5|password|trust|reject)$ ]] \
    || die "POSTGRES_HOST_AUTH_METHOD='$POSTGRES_HOST_AUTH_METHOD' is not supported; use scram-sha-256 (the default), md5, password, trust or reject"
  if [[ $POSTGRES_HOST_AUTH_METHOD == trust ]]; then
    notice "POSTGRES_HOST_AUTH_METHOD=trust: every database accepts network connections without a password; use it only on a machine no one else reaches (replication still needs REPLICATION_PASSWORD)"
  fi
}

check_initdb_waldir() {
  [[ -z ${POSTGRES_INITDB_WALDIR:-} ]] || require_directory_path POSTGRES_INITDB_WALDIR
}

check_database_name() {
  [[ -n $POSTGRES_DB ]] || die "POSTGRES_DB is empty; leave it unset or name a database"
  local bytes
  byte_length bytes "$POSTGRES_DB"
  ((bytes <= 63)) \
    || die "POSTGRES_DB='$POSTGRES_DB' is longer than 63 bytes; use a shorter database name"
}

check_replication_user() {
  require_role_name REPLICATION_USER
  [[ $REPLICATION_USER =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] \
    || die "REPLICATION_USER='$REPLICATION_USER' is not a plain role name; use letters, digits and _ such as replicator"
  [[ $REPLICATION_USER != "$POSTGRES_USER" ]] \
    || die "REPLICATION_USER and POSTGRES_USER are both '$POSTGRES_USER'; give replication its own role"
}

# PEERS: the cluster's other nodes as host[:port], comma-separated (optional). Split without
# globbing: PEERS='*' is a bad host, not the names of the files in the working directory.
check_peers() {
  local -a peers=()
  local peer host port
  [[ $PEERS != *[[:cntrl:]]* ]] \
    || die "PEERS='$PEERS' contains a control character (a line break?); separate the nodes with commas"
  IFS=', ' read -ra peers <<<"$PEERS"
  for peer in "${peers[@]}"; do
    [[ -n $peer ]] || continue
    peer_address host port "$peer"
    is_host_name "$host" \
      || die "PEERS has '$peer', whose host is not a host name or an IP address; list the other nodes as host[:port], comma-separated, such as standby-1,standby-2:5433"
    if [[ ! $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
      die "PEERS has '$peer', whose port is not 1 to 65535; list the other nodes as host[:port], comma-separated, such as standby-1,standby-2:5433"
    fi
  done
}

# PGDATA and POSTGRES_INITDB_WALDIR are created and chowned as root: each must be an absolute
# path below /, without . or .. parts that could lead it elsewhere.
require_directory_path() {
  local var=$1 value=${!1}
  [[ $value == /* && -n ${value//\//} && /$value/ != */../* && /$value/ != */./* ]] \
    || die "$var='$value' is not an absolute path below /; use a directory such as /var/lib/postgresql/data, without . or .. parts"
}

load_environment() {
  require_directory_path PGDATA
  resolve_role
  resolve_primary_address
  file_env POSTGRES_USER postgres
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  file_env REPLICATION_USER replicator
  file_env REPLICATION_PASSWORD
  resolve_slot_name
  export REPLICATION_ALLOWED_CIDR=${REPLICATION_ALLOWED_CIDR:-samenet}
  export PRIMARY_WAIT_TIMEOUT=${PRIMARY_WAIT_TIMEOUT:-120}
  export MAX_CONNECTIONS=${MAX_CONNECTIONS:-100}
  export MAX_WAL_SENDERS=${MAX_WAL_SENDERS:-10}
  export MAX_REPLICATION_SLOTS=${MAX_REPLICATION_SLOTS:-10}
  export MAX_SLOT_WAL_KEEP_SIZE=${MAX_SLOT_WAL_KEEP_SIZE:-2GB}
  export TCP_USER_TIMEOUT=${TCP_USER_TIMEOUT:-10000}
  export PEERS=${PEERS:-}
  resolve_wal_keep_size

  if [[ -z $REPLICATION_PASSWORD && $REPLICATION_ROLE == standby ]]; then
    die "REPLICATION_PASSWORD is not set; set it (or REPLICATION_PASSWORD_FILE) to the same value on the primary and every standby"
  fi
  require_secret_text REPLICATION_PASSWORD
  require_secret_text POSTGRES_PASSWORD
  require_role_name POSTGRES_USER
  # initdb makes the superuser own the built-in extensions, which refuses these (all versions since 2023).
  [[ $POSTGRES_USER != *[\'\$\\]* ]] \
    || die "POSTGRES_USER '$POSTGRES_USER' contains a quote, \$ or \\, which initdb cannot give the superuser; use another name"
  check_replication_user
  check_database_name
  check_host_auth_method
  check_initdb_waldir
  [[ $REPLICATION_SLOT =~ ^[a-z0-9_]{1,63}$ ]] \
    || die "REPLICATION_SLOT='$REPLICATION_SLOT' is not a valid slot name; use lower-case letters, digits and _ (at most 63)"
  require_count PRIMARY_PORT 1 65535
  require_count PRIMARY_WAIT_TIMEOUT 1 86400
  require_count MAX_CONNECTIONS 1 262143
  require_count MAX_WAL_SENDERS 0 262143
  require_count MAX_REPLICATION_SLOTS 0 262143
  require_count TCP_USER_TIMEOUT 0 2147483647
  require_size WAL_KEEP_SIZE
  require_size MAX_SLOT_WAL_KEEP_SIZE unlimited
  check_server_settings
  require_synchronous_commit
  check_synchronous_standby_names
  check_allowed_cidrs
  check_clone_max_rate
  check_peers
  check_backup_settings
  if [[ $REPLICATION_ROLE == standby ]]; then
    [[ -n $PRIMARY_HOST ]] \
      || die "PRIMARY_HOST is not set; a standby needs the address of the server it clones and streams from"
    require_host PRIMARY_HOST
  fi
}

# UPSTREAM_CONNINFO: how this node reaches PRIMARY_HOST as REPLICATION_USER, for every connection
# upstream to start from. The host is quoted; the user and port were checked to need no quoting.
upstream_conninfo() {
  local host
  conninfo_quote host "$PRIMARY_HOST"
  # shellcheck disable=SC2034 # read by the standby's, the rewind's and the settings' functions
  UPSTREAM_CONNINFO="host=$host port=$PRIMARY_PORT user=$REPLICATION_USER passfile=$PASSFILE"
}
