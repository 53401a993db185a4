# shellcheck shell=bash
# The server settings the environment sets, checked against the ranges the image's own server
# accepts (postgres --describe-config, so they follow its version) before initdb: a value the
# server rejects would otherwise leave a new cluster that crash-loops without naming the variable.
# Only the environment is checked: -c arguments on the command line are the user's own.

# describe-config prints no defaults: these are the server's, for the settings that share the
# process slots with max_connections and max_wal_senders.
readonly SUPERUSER_RESERVED_CONNECTIONS=3 RESERVED_CONNECTIONS=0 MAX_WORKER_PROCESSES=8
readonly AUTOVACUUM_MAX_WORKERS=3 AUTOVACUUM_WORKER_SLOTS=16
# PostgreSQL's MAX_BACKENDS: every process slot together must fit in 18 bits.
readonly MAX_BACKENDS=262143
# The environment's values that need no server to judge: the defaults.
readonly DEFAULT_SERVER_SETTINGS='100 10 10 10000 128MB 2GB'

declare -A SETTING_MIN=() SETTING_MAX=()

# Fills SETTING_MIN and SETTING_MAX with every setting's range (empty for those without one:
# a setting's presence tells the version), once per start (one process).
read_server_limits() {
  ((${#SETTING_MAX[@]} == 0)) || return 0
  local name min max
  while IFS=$'\t' read -r name _ _ _ _ min max _; do
    SETTING_MIN[$name]=$min SETTING_MAX[$name]=$max
  done < <(postgres --describe-config 2>/dev/null)
  [[ -n ${SETTING_MAX[max_connections]:-} ]] \
    || die "postgres --describe-config did not describe max_connections; this image needs the postgres server on its PATH"
}

# require_server_range VAR SETTING NUMBER [UNIT]: NUMBER (VAR's value in SETTING's unit) is one
# the server accepts for SETTING.
require_server_range() {
  local var=$1 setting=$2 number=$3 unit=${4:-}
  local min=${SETTING_MIN[$setting]} max=${SETTING_MAX[$setting]}
  ((number >= min && number <= max)) \
    || die "$var='${!var}' is out of range: the server takes $setting from $min to $max${unit:+ $unit}; use a value in that range"
}

# megabytes VAR SIZE: a size as require_size accepts it (or -1), in megabytes rounded as the
# server rounds, into VAR. Ten digits times 2^20 still fits in bash's 64 bits.
megabytes() {
  local number=-1 divisor=1
  if [[ $2 =~ ^([0-9]+)([kMGT]?B)?$ ]]; then
    number=$((10#${BASH_REMATCH[1]}))
    case ${BASH_REMATCH[2]} in
      B) divisor=1048576 ;;
      kB) divisor=1024 ;;
      GB) number=$((number * 1024)) ;;
      TB) number=$((number * 1048576)) ;;
    esac
  fi
  printf -v "$1" '%d' $(((number + divisor / 2) / divisor))
}

# Each setting within the server's range, then the rules between settings the server checks at
# its start: connections beyond the reserved ones, and all process slots within MAX_BACKENDS.
check_server_settings() {
  local current="$MAX_CONNECTIONS $MAX_WAL_SENDERS $MAX_REPLICATION_SLOTS $TCP_USER_TIMEOUT $WAL_KEEP_SIZE $MAX_SLOT_WAL_KEEP_SIZE"
  [[ $current != "$DEFAULT_SERVER_SETTINGS" ]] || return 0
  read_server_limits
  require_server_range MAX_CONNECTIONS max_connections "$MAX_CONNECTIONS"
  require_server_range MAX_WAL_SENDERS max_wal_senders "$MAX_WAL_SENDERS"
  require_server_range MAX_REPLICATION_SLOTS max_replication_slots "$MAX_REPLICATION_SLOTS"
  require_server_range TCP_USER_TIMEOUT tcp_user_timeout "$TCP_USER_TIMEOUT" ms
  local size
  megabytes size "$WAL_KEEP_SIZE"
  require_server_range WAL_KEEP_SIZE wal_keep_size "$size" MB
  megabytes size "$MAX_SLOT_WAL_KEEP_SIZE"
  require_server_range MAX_SLOT_WAL_KEEP_SIZE max_slot_wal_keep_size "$size" MB

  # reserved_connections came with 16.
  local reserved=$SUPERUSER_RESERVED_CONNECTIONS
  [[ ! -v SETTING_MAX[reserved_connections] ]] || reserved=$((reserved + RESERVED_CONNECTIONS))
  ((MAX_CONNECTIONS > reserved)) \
    || die "MAX_CONNECTIONS=$MAX_CONNECTIONS leaves no connection: the server reserves $reserved for superusers; use at least $((reserved + 1))"
  # Autovacuum's workers (autovacuum_worker_slots from 18, autovacuum_max_workers before) and
  # a slot each for its launcher and, from 17 (sync_replication_slots), the slot sync worker.
  # Measured on 15, 17 and 18: one more connection is refused.
  local others=$((AUTOVACUUM_MAX_WORKERS + 1))
  [[ ! -v SETTING_MAX[sync_replication_slots] ]] || others=$((AUTOVACUUM_MAX_WORKERS + 2))
  [[ ! -v SETTING_MAX[autovacuum_worker_slots] ]] || others=$((AUTOVACUUM_WORKER_SLOTS + 2))
  others=$((others + MAX_WORKER_PROCESSES))
  ((MAX_CONNECTIONS + MAX_WAL_SENDERS + others <= MAX_BACKENDS)) && return 0
  # The larger of the two is the one to lower.
  local var=MAX_CONNECTIONS other=MAX_WAL_SENDERS
  ((MAX_CONNECTIONS >= MAX_WAL_SENDERS)) || var=MAX_WAL_SENDERS other=MAX_CONNECTIONS
  die "$var=${!var} is out of range: with $other=${!other} and $others slots for background workers, the server's $MAX_BACKENDS process slots leave $var at most $((MAX_BACKENDS - others - ${!other})); use a value up to that"
}
