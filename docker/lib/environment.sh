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

# A slot name is [a-z0-9_]{1,63}; a hostname such as standby-1 becomes standby_1.
default_slot_name() {
  local name
  name=$(hostname 2>/dev/null || cat /etc/hostname)
  name=${name,,}
  name=${name//[^a-z0-9_]/_}
  printf '%s' "${name:0:63}"
}

resolve_wal_keep_size() {
  if [[ -n ${WAL_KEEP_SEGMENTS:-} ]]; then
    require_integer WAL_KEEP_SEGMENTS
    if [[ -n ${WAL_KEEP_SIZE:-} ]]; then
      notice "WAL_KEEP_SEGMENTS is ignored because WAL_KEEP_SIZE is set (PostgreSQL 13 removed wal_keep_segments)"
    else
      export WAL_KEEP_SIZE="$((WAL_KEEP_SEGMENTS * 16))MB"
      notice "WAL_KEEP_SEGMENTS=${WAL_KEEP_SEGMENTS} converted to WAL_KEEP_SIZE=${WAL_KEEP_SIZE} (PostgreSQL 13 removed wal_keep_segments); set WAL_KEEP_SIZE instead"
    fi
  fi
  export WAL_KEEP_SIZE=${WAL_KEEP_SIZE:-128MB}
}

require_integer() {
  local var=$1
  [[ ${!var} =~ ^[0-9]+$ ]] || die "$var='${!var}' is not a whole number; set it to a number such as 10"
}

require_identifier() {
  local var=$1
  [[ ${!var} =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] \
    || die "$var='${!var}' is not a plain role name; use letters, digits and _ (at most 63)"
}

# Secrets are passed to SQL and to a passfile; a newline would split either.
require_single_line() {
  local var=$1
  [[ ${!var} != *$'\n'* ]] || die "$var contains a line break; use a single-line password"
}

check_allowed_cidrs() {
  local entry
  for entry in ${REPLICATION_ALLOWED_CIDR//,/ }; do
    [[ $entry =~ ^(all|samehost|samenet|[0-9a-fA-F:.]+/[0-9]{1,3})$ ]] \
      || die "REPLICATION_ALLOWED_CIDR has '$entry', which is not an address range; use CIDRs such as 10.0.0.0/8, or samenet, or all"
  done
}

# pg_basebackup's --max-rate: kilobytes per second, with an optional k or M; 32k to 1024M.
check_clone_max_rate() {
  [[ -n ${CLONE_MAX_RATE:-} ]] || return 0
  local kilobytes
  [[ $CLONE_MAX_RATE =~ ^([0-9]{1,7})([kM]?)$ ]] \
    || die "CLONE_MAX_RATE='${CLONE_MAX_RATE}' is not a transfer rate; use kilobytes per second, or a number with k or M such as 50M"
  kilobytes=$((10#${BASH_REMATCH[1]}))
  [[ ${BASH_REMATCH[2]} != M ]] || kilobytes=$((kilobytes * 1024))
  ((kilobytes >= 32 && kilobytes <= 1048576)) \
    || die "CLONE_MAX_RATE='${CLONE_MAX_RATE}' is out of range; pg_basebackup accepts 32k to 1024M"
}

load_environment() {
  resolve_role
  resolve_primary_address
  file_env POSTGRES_USER postgres
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  file_env REPLICATION_USER replicator
  file_env REPLICATION_PASSWORD
  export REPLICATION_SLOT=${REPLICATION_SLOT:-$(default_slot_name)}
  export REPLICATION_ALLOWED_CIDR=${REPLICATION_ALLOWED_CIDR:-samenet}
  export PRIMARY_WAIT_TIMEOUT=${PRIMARY_WAIT_TIMEOUT:-120}
  export MAX_CONNECTIONS=${MAX_CONNECTIONS:-100}
  export MAX_WAL_SENDERS=${MAX_WAL_SENDERS:-10}
  export MAX_REPLICATION_SLOTS=${MAX_REPLICATION_SLOTS:-10}
  export MAX_SLOT_WAL_KEEP_SIZE=${MAX_SLOT_WAL_KEEP_SIZE:-2GB}
  resolve_wal_keep_size

  [[ -n $REPLICATION_PASSWORD ]] \
    || die "REPLICATION_PASSWORD is not set; set it (or REPLICATION_PASSWORD_FILE) to the same value on the primary and every standby"
  require_single_line REPLICATION_PASSWORD
  require_single_line POSTGRES_PASSWORD
  require_identifier REPLICATION_USER
  [[ $REPLICATION_USER != "$POSTGRES_USER" ]] \
    || die "REPLICATION_USER and POSTGRES_USER are both '$POSTGRES_USER'; give replication its own role"
  [[ $REPLICATION_SLOT =~ ^[a-z0-9_]{1,63}$ ]] \
    || die "REPLICATION_SLOT='$REPLICATION_SLOT' is not a valid slot name; use lower-case letters, digits and _ (at most 63)"
  local var
  for var in PRIMARY_PORT PRIMARY_WAIT_TIMEOUT MAX_CONNECTIONS MAX_WAL_SENDERS MAX_REPLICATION_SLOTS; do
    require_integer "$var"
  done
  check_allowed_cidrs
  check_clone_max_rate
  if [[ $REPLICATION_ROLE == standby && -z $PRIMARY_HOST ]]; then
    die "PRIMARY_HOST is not set; a standby needs the address of the server it clones and streams from"
  fi
}
