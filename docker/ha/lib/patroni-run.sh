# shellcheck shell=bash
# Runs Patroni as postgres and watches it. Patroni exits 0 after a bootstrap it gave up on (the
# data directory renamed aside): a restart policy would then do nothing, so any exit this script
# did not ask for is a failure, said in one line with a non-zero code.

# On 15 and 17 PGDATA is the volume itself, mode 1777 as the official image leaves it: initdb
# tightens it on the leader, but a replica's pg_basebackup does not and PostgreSQL then refuses to start.
prepare_patroni_data_directory() {
  own_directory "${PGDATA%/*}" postgres
  own_directory "$PGDATA" postgres
  [[ $(stat -c %a "$PGDATA") =~ ^7[05]0$ ]] || chmod 0700 "$PGDATA"
}

PATRONI_PID=
STOP_REQUESTED=

# docker stop / Kubernetes send SIGTERM: Patroni stops PostgreSQL cleanly and releases the leader
# key, so another member takes over without waiting for the key to expire.
forward_stop() {
  STOP_REQUESTED=yes
  [[ -z $PATRONI_PID ]] || kill -TERM "$PATRONI_PID" 2>/dev/null || true
}

run_patroni() {
  # PostgreSQL and Patroni read their secrets from the configuration file, not the environment.
  unset POSTGRES_PASSWORD REPLICATION_PASSWORD PATRONI_RESTAPI_PASSWORD
  trap forward_stop TERM INT
  log "starting Patroni $(patroni --version 2>/dev/null | sed 's/^patroni //') as member $PATRONI_NAME"
  exec_as_user postgres patroni "$PATRONI_CONFIG" &
  PATRONI_PID=$!
  local status=0
  # wait returns early when a trapped signal arrives: wait again until Patroni is gone.
  while kill -0 "$PATRONI_PID" 2>/dev/null; do
    wait "$PATRONI_PID" && status=0 || status=$?
  done
  if [[ -n $STOP_REQUESTED ]]; then
    exit "$status"
  fi
  # Patroni renames a data directory it failed to bootstrap to PGDATA.failed.
  if [[ -e $PGDATA.failed ]]; then
    die "Patroni gave up bootstrapping this member (exit code $status) and moved its data directory to $PGDATA.failed; read Patroni's log above, fix the cause, then remove $PGDATA.failed and start again"
  fi
  die "Patroni stopped by itself (exit code $status); read its log above, fix the cause and start the member again"
}
