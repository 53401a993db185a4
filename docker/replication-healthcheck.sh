#!/usr/bin/env bash
# Docker HEALTHCHECK: a primary is healthy when it accepts connections; a standby only when it
# is in recovery and its WAL receiver is streaming.
set -Eeuo pipefail

role=${REPLICATION_ROLE:-primary}
case ${role,,} in
  master) role=primary ;;
  slave) role=standby ;;
esac

pg_isready --quiet --host=127.0.0.1 --port=5432 --timeout=3 || exit 1
[[ ${role,,} == standby ]] || exit 0

# pg_monitor (granted to the replication role on the primary) is enough to read the receiver.
streaming=$(psql --no-psqlrc --no-align --tuples-only --quiet \
  --username="${REPLICATION_USER:-replicator}" --dbname=postgres \
  --command="SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')")
[[ $streaming == t ]]
