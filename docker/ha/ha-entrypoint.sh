#!/usr/bin/env bash
# Entrypoint of the postgres-replication HA image: one image, three roles chosen by the command.
#   patroni  a PostgreSQL member managed by Patroni (the default)
#   etcd     one member of the etcd cluster Patroni keeps its leader key in
#   haproxy  the endpoint clients use: 5432 reaches the leader, 5433 the streaming replicas
# Any other command runs as given (psql, patronictl, bash...). Each role checks its whole
# environment first and refuses with one line before it writes anything.
set -Eeuo pipefail

readonly LIB_DIR=${POSTGRES_REPLICATION_LIB:-/usr/local/lib/postgres-replication}
readonly HA_LIB_DIR=${POSTGRES_REPLICATION_HA_LIB:-$LIB_DIR/ha}
# shellcheck source=../lib/log.sh
. "$LIB_DIR/log.sh"
# shellcheck source=../lib/formats.sh
. "$LIB_DIR/formats.sh"
# shellcheck source=../lib/environment.sh
. "$LIB_DIR/environment.sh"
# shellcheck source=lib/privileges.sh
. "$HA_LIB_DIR/privileges.sh"
# shellcheck source=lib/yaml.sh
. "$HA_LIB_DIR/yaml.sh"
# shellcheck source=lib/patroni-environment.sh
. "$HA_LIB_DIR/patroni-environment.sh"
# shellcheck source=lib/patroni-config.sh
. "$HA_LIB_DIR/patroni-config.sh"
# shellcheck source=lib/patroni-run.sh
. "$HA_LIB_DIR/patroni-run.sh"
# shellcheck source=lib/etcd.sh
. "$HA_LIB_DIR/etcd.sh"
# shellcheck source=lib/haproxy.sh
. "$HA_LIB_DIR/haproxy.sh"

main() {
  case ${1:-patroni} in
    patroni)
      load_patroni_environment
      prepare_patroni_data_directory
      write_patroni_config
      run_patroni ;;
    etcd)
      load_etcd_environment
      prepare_etcd_data_directory
      run_etcd ;;
    haproxy)
      load_haproxy_environment
      write_haproxy_config
      run_haproxy ;;
    *) exec "$@" ;;
  esac
}

main "$@"
