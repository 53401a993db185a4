# shellcheck shell=bash
# The patroni role's environment: our names where they mean what they mean in the plain image,
# Patroni's own names for what only Patroni needs. Everything is checked before anything is
# written, with the plain image's checks (formats.sh, environment.sh) wherever a name is shared.

# Variables of the plain image that choose what Patroni chooses here: set, they would be ignored
# silently, so they are refused with the HA way of saying the same thing.
refuse_plain_only_variables() {
  local name
  for name in REPLICATION_ROLE PRIMARY_HOST SYNCHRONOUS_STANDBY_NAMES PEERS CLONE_MAX_RATE; do
    [[ -z ${!name:-} ]] || die "$name is set, but in the HA image Patroni chooses the leader and its replicas; remove $name (for synchronous replication set SYNCHRONOUS_MODE=on or strict)"
  done
}

# A cluster or member name: it names etcd keys, a replication slot and a host.
require_member_name() {
  local var=$1 value=${!1:-}
  [[ -n $value ]] || die "$var is not set; set it to a name such as $2"
  [[ $value =~ ^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$ ]] \
    || die "$var='$value' is not a plain name; use letters, digits, '.', '-' and '_' (at most 63), such as $2"
}

# PATRONI_NAME defaults to the host name, which must outlive the container: every new member
# name is a new replication slot on the leader.
resolve_member_name() {
  if [[ -z ${PATRONI_NAME:-} ]]; then
    read_hostname
    if hostname_is_container_id; then
      die "PATRONI_NAME is not set and the hostname is the container id $HOST_NAME, which changes with every new container and would leave a replication slot behind each time; set PATRONI_NAME or start it with --hostname NAME (compose: hostname:)"
    fi
    export PATRONI_NAME=$HOST_NAME
  fi
  require_member_name PATRONI_NAME member-1
}

# The store: etcd (PATRONI_ETCD3_HOSTS, host:port comma list) or Kubernetes (any
# PATRONI_KUBERNETES_* variable; Patroni reads those itself). Exactly one.
resolve_store() {
  local kubernetes
  kubernetes=$(compgen -v PATRONI_KUBERNETES_ | head -n 1) || true
  if [[ -n ${PATRONI_ETCD3_HOSTS:-} && -n $kubernetes ]]; then
    die "both PATRONI_ETCD3_HOSTS and $kubernetes are set; choose one store: etcd (PATRONI_ETCD3_HOSTS) or Kubernetes (PATRONI_KUBERNETES_*)"
  fi
  if [[ -n $kubernetes ]]; then
    export PATRONI_STORE=kubernetes
    return 0
  fi
  [[ -n ${PATRONI_ETCD3_HOSTS:-} ]] \
    || die "PATRONI_ETCD3_HOSTS is not set; list the etcd members as host:port, comma-separated, such as etcd-1:2379,etcd-2:2379,etcd-3:2379 (or set PATRONI_KUBERNETES_NAMESPACE on Kubernetes)"
  [[ $PATRONI_ETCD3_HOSTS != *[[:cntrl:]]* ]] \
    || die "PATRONI_ETCD3_HOSTS contains a control character (a line break?); separate the etcd members with commas"
  local -a hosts=()
  local entry host port
  IFS=', ' read -ra hosts <<<"$PATRONI_ETCD3_HOSTS"
  ETCD3_HOSTS=()
  for entry in "${hosts[@]}"; do
    [[ -n $entry ]] || continue
    host=${entry%:*} port=${entry##*:}
    if [[ $entry != *:* ]] || ! is_host_name "$host" || [[ ! $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
      die "PATRONI_ETCD3_HOSTS has '$entry', which is not host:port; list the etcd members as host:port, comma-separated, such as etcd-1:2379,etcd-2:2379"
    fi
    ETCD3_HOSTS+=("$entry")
  done
  ((${#ETCD3_HOSTS[@]} > 0)) \
    || die "PATRONI_ETCD3_HOSTS names no etcd member; list them as host:port, such as etcd-1:2379,etcd-2:2379,etcd-3:2379"
  export PATRONI_STORE=etcd3
}

# The REST API's write endpoints (switchover, restart, reinitialize, config) need these.
resolve_rest_api_credentials() {
  file_env PATRONI_RESTAPI_PASSWORD
  [[ -n ${PATRONI_RESTAPI_USERNAME:-} ]] \
    || die "PATRONI_RESTAPI_USERNAME is not set; the REST API's write endpoints are always authenticated: set PATRONI_RESTAPI_USERNAME and PATRONI_RESTAPI_PASSWORD (or PATRONI_RESTAPI_PASSWORD_FILE)"
  [[ $PATRONI_RESTAPI_USERNAME =~ ^[A-Za-z0-9._-]{1,63}$ ]] \
    || die "PATRONI_RESTAPI_USERNAME='$PATRONI_RESTAPI_USERNAME' is not a plain user name; use letters, digits, '.', '-' and '_', such as patroni"
  [[ -n $PATRONI_RESTAPI_PASSWORD ]] \
    || die "PATRONI_RESTAPI_PASSWORD is not set; set it (or PATRONI_RESTAPI_PASSWORD_FILE): the REST API's write endpoints are always authenticated"
  require_secret_text PATRONI_RESTAPI_PASSWORD
}

# SYNCHRONOUS_MODE: off (asynchronous, the last commits can be lost at a failover), on (a
# synchronous replica when one is streaming) or strict (no commit without one: zero loss, and
# writes wait while no replica streams).
resolve_synchronous_mode() {
  export SYNCHRONOUS_MODE=${SYNCHRONOUS_MODE:-off}
  SYNCHRONOUS_MODE=${SYNCHRONOUS_MODE,,}
  [[ $SYNCHRONOUS_MODE =~ ^(off|on|strict)$ ]] \
    || die "SYNCHRONOUS_MODE='$SYNCHRONOUS_MODE' is not a mode; use off, on or strict"
}

# The leader key's lifetime and Patroni's loop. Patroni raises a ttl below 20 s to 20 s by itself,
# so a smaller one is refused rather than silently not applied. A leader that cannot renew its key
# stops being the leader after retry_timeout, before its key expires, only when
# loop_wait + 2 * retry_timeout <= ttl (Patroni's own rule), so no second leader is elected
# while it still accepts writes. A 1 s loop: Patroni notices a crashed PostgreSQL only at its next
# loop and restarts it, so the loop bounds that outage (2 s let a restart take over 5 s).
resolve_timing() {
  export PATRONI_TTL=${PATRONI_TTL:-20} PATRONI_LOOP_WAIT=${PATRONI_LOOP_WAIT:-1} PATRONI_RETRY_TIMEOUT=${PATRONI_RETRY_TIMEOUT:-8}
  require_count PATRONI_TTL 20 3600
  require_count PATRONI_LOOP_WAIT 1 600
  require_count PATRONI_RETRY_TIMEOUT 1 600
  ((PATRONI_LOOP_WAIT + 2 * PATRONI_RETRY_TIMEOUT <= PATRONI_TTL)) \
    || die "PATRONI_LOOP_WAIT ($PATRONI_LOOP_WAIT) + 2 x PATRONI_RETRY_TIMEOUT ($PATRONI_RETRY_TIMEOUT) is more than PATRONI_TTL ($PATRONI_TTL); lower them or raise PATRONI_TTL, else a leader cut off from the store could outlive its key"
}

load_patroni_environment() {
  : "${PGDATA:?PGDATA is not set; this image needs a base with the official postgres image layout}"
  : "${PG_MAJOR:?PG_MAJOR is not set; this image needs a base with the official postgres image layout}"
  require_directory_path PGDATA
  refuse_plain_only_variables
  require_member_name PATRONI_SCOPE postgres-ha
  resolve_member_name
  resolve_store
  resolve_rest_api_credentials
  file_env POSTGRES_USER postgres
  file_env POSTGRES_PASSWORD
  file_env REPLICATION_USER replicator
  file_env REPLICATION_PASSWORD
  require_role_name POSTGRES_USER
  [[ $POSTGRES_USER != *[\'\$\\]* ]] \
    || die "POSTGRES_USER '$POSTGRES_USER' contains a quote, \$ or \\, which initdb cannot give the superuser; use another name"
  check_replication_user
  # Patroni signs in to its own server over TCP as the superuser, and replicas clone as
  # REPLICATION_USER: both need a password, checked with SCRAM.
  [[ -n $POSTGRES_PASSWORD ]] \
    || die "POSTGRES_PASSWORD is not set; set it (or POSTGRES_PASSWORD_FILE): Patroni signs in to PostgreSQL with it"
  [[ -n $REPLICATION_PASSWORD ]] \
    || die "REPLICATION_PASSWORD is not set; set it (or REPLICATION_PASSWORD_FILE) to the same value on every member"
  require_secret_text POSTGRES_PASSWORD
  require_secret_text REPLICATION_PASSWORD
  export REPLICATION_ALLOWED_CIDR=${REPLICATION_ALLOWED_CIDR:-samenet}
  check_allowed_cidrs
  export MAX_CONNECTIONS=${MAX_CONNECTIONS:-100}
  export MAX_WAL_SENDERS=${MAX_WAL_SENDERS:-10}
  export MAX_REPLICATION_SLOTS=${MAX_REPLICATION_SLOTS:-10}
  export MAX_SLOT_WAL_KEEP_SIZE=${MAX_SLOT_WAL_KEEP_SIZE:-2GB}
  export WAL_KEEP_SIZE=${WAL_KEEP_SIZE:-128MB}
  export TCP_USER_TIMEOUT=${TCP_USER_TIMEOUT:-10000}
  require_count MAX_CONNECTIONS 1 262143
  require_count MAX_WAL_SENDERS 1 262143
  require_count MAX_REPLICATION_SLOTS 1 262143
  require_count TCP_USER_TIMEOUT 0 2147483647
  require_size WAL_KEEP_SIZE
  require_size MAX_SLOT_WAL_KEEP_SIZE unlimited
  resolve_synchronous_mode
  resolve_timing
}
