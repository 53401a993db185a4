#!/usr/bin/env bash
# Docker HEALTHCHECK, following what the server is, not what REPLICATION_ROLE said at start:
# a server out of recovery (a primary, or a promoted standby) is healthy when it accepts
# connections; a server in recovery (a standby) only while its WAL receiver streams.
set -Eeuo pipefail

readonly LIB_DIR=${POSTGRES_REPLICATION_LIB:-/usr/local/lib/postgres-replication}
# shellcheck source=lib/log.sh
. "$LIB_DIR/log.sh"
# shellcheck source=lib/environment.sh
. "$LIB_DIR/environment.sh"

# The same user resolution as the entrypoint, *_FILE included.
file_env REPLICATION_USER replicator
file_env POSTGRES_USER postgres

pg_isready --quiet --host=127.0.0.1 --port=5432 --timeout=3 || exit 1

# Over the socket (trusted inside the container) as the replication role, which exists on every
# node of a replicated cluster and has pg_monitor; a primary without replication has only
# POSTGRES_USER.
query="SELECT CASE WHEN NOT pg_is_in_recovery() THEN 'primary'
  WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 'streaming'
  ELSE 'not streaming' END"
state=
for user in "$REPLICATION_USER" "$POSTGRES_USER"; do
  if state=$(psql --no-psqlrc --no-align --tuples-only --quiet --username="$user" --dbname=postgres \
    --command="$query" 2>/dev/null); then
    break
  fi
done
echo "${state:-unknown}"
[[ $state == primary || $state == streaming ]]
