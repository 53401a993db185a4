# shellcheck shell=bash
# Patroni's configuration, written from the checked environment to PATRONI_CONFIG (mode 0600,
# owned by postgres: it holds the passwords). What keeps the cluster safe is fixed here, not
# configurable: SCRAM on every TCP line, rewind instead of a clone (Patroni's options that delete a
# data directory stay off), a slot per member.

readonly PATRONI_CONFIG=${PATRONI_CONFIG:-/etc/patroni/patroni.yml}

# The member's own address for the others: its host name (Patroni's
# PATRONI_RESTAPI_CONNECT_ADDRESS / PATRONI_POSTGRESQL_CONNECT_ADDRESS override it, e.g. a pod IP).
member_host() {
  read_hostname
  printf -v "$1" '%s' "$HOST_NAME"
}

# pg_hba.conf: the socket trusted inside the container, as in the plain image; Patroni's own
# TCP connections to 127.0.0.1 (bootstrap fails without them); replication from
# REPLICATION_ALLOWED_CIDR; every other TCP connection with SCRAM.
print_pg_hba() {
  local -a entries=()
  local entry
  printf '    - %s\n' "'local all all trust'" \
    "'host all all 127.0.0.1/32 scram-sha-256'" \
    "'host replication \"$REPLICATION_USER\" 127.0.0.1/32 scram-sha-256'"
  IFS=', ' read -ra entries <<<"$REPLICATION_ALLOWED_CIDR"
  for entry in "${entries[@]}"; do
    [[ -n $entry ]] || continue
    printf "    - 'host replication \"%s\" %s scram-sha-256'\n" "$REPLICATION_USER" "$entry"
  done
  printf '    - %s\n' "'host all all all scram-sha-256'"
}

print_store() {
  if [[ $PATRONI_STORE == etcd3 ]]; then
    printf 'etcd3:\n  hosts:\n'
    printf '    - %s\n' "${ETCD3_HOSTS[@]}"
  fi
  # Kubernetes: Patroni reads its PATRONI_KUBERNETES_* variables itself.
}

print_patroni_config() {
  local host scope name rest_user rest_password superuser superuser_password repl_user repl_password
  member_host host
  yaml_quote scope "$PATRONI_SCOPE"
  yaml_quote name "$PATRONI_NAME"
  yaml_quote rest_user "$PATRONI_RESTAPI_USERNAME"
  yaml_quote rest_password "$PATRONI_RESTAPI_PASSWORD"
  yaml_quote superuser "$POSTGRES_USER"
  yaml_quote superuser_password "$POSTGRES_PASSWORD"
  yaml_quote repl_user "$REPLICATION_USER"
  yaml_quote repl_password "$REPLICATION_PASSWORD"
  local synchronous=false strict=false
  [[ $SYNCHRONOUS_MODE == off ]] || synchronous=true
  [[ $SYNCHRONOUS_MODE != strict ]] || strict=true
  cat <<YAML
# Written by ha-entrypoint.sh at every start from the container's environment; edits are lost.
scope: $scope
name: $name
restapi:
  listen: 0.0.0.0:8008
  connect_address: '$host:8008'
  authentication:
    username: $rest_user
    password: $rest_password
$(print_store)
bootstrap:
  # Written to the store once, when the cluster is first bootstrapped; change them later with
  # patronictl edit-config.
  dcs:
    ttl: $PATRONI_TTL
    loop_wait: $PATRONI_LOOP_WAIT
    retry_timeout: $PATRONI_RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    synchronous_mode: $synchronous
    synchronous_mode_strict: $strict
    postgresql:
      use_pg_rewind: true
      use_slots: true
      remove_data_directory_on_rewind_failure: false
      remove_data_directory_on_diverged_timelines: false
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        password_encryption: scram-sha-256
        max_connections: $MAX_CONNECTIONS
        max_wal_senders: $MAX_WAL_SENDERS
        max_replication_slots: $MAX_REPLICATION_SLOTS
        max_slot_wal_keep_size: '$MAX_SLOT_WAL_KEEP_SIZE'
        wal_keep_size: '$WAL_KEEP_SIZE'
        tcp_user_timeout: $TCP_USER_TIMEOUT
  initdb:
    - encoding: UTF8
    - auth-local: trust
    - auth-host: scram-sha-256
postgresql:
  listen: 0.0.0.0:5432
  connect_address: '$host:5432'
  data_dir: '$PGDATA'
  bin_dir: /usr/lib/postgresql/$PG_MAJOR/bin
  pgpass: /tmp/patroni.pgpass
  use_pg_rewind: true
  remove_data_directory_on_rewind_failure: false
  remove_data_directory_on_diverged_timelines: false
  authentication:
    superuser:
      username: $superuser
      password: $superuser_password
    replication:
      username: $repl_user
      password: $repl_password
  parameters:
    unix_socket_directories: /var/run/postgresql
    password_encryption: scram-sha-256
    # A replica whose leader's PostgreSQL restarts reconnects only after this pause (5 s by
    # default); in strict synchronous mode every write on the restarted leader waits for it.
    wal_retrieve_retry_interval: 1s
  pg_hba:
$(print_pg_hba)
YAML
}

write_patroni_config() {
  (
    umask 077
    print_patroni_config >"$PATRONI_CONFIG.tmp"
  )
  ((EUID != 0)) || chown postgres:postgres "$PATRONI_CONFIG.tmp"
  mv "$PATRONI_CONFIG.tmp" "$PATRONI_CONFIG"
  log "wrote $PATRONI_CONFIG for member $PATRONI_NAME of cluster $PATRONI_SCOPE (store $PATRONI_STORE, synchronous mode $SYNCHRONOUS_MODE, ttl ${PATRONI_TTL}s)"
}
