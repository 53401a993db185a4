#!/usr/bin/env bash
# Docker HEALTHCHECK, following what the server is, not what REPLICATION_ROLE said at start:
# a server out of recovery (a primary, or a promoted standby) is healthy when it accepts
# connections; a server in recovery (a standby) only while its WAL receiver streams.
#
# One child process, bounded well inside the shortest healthcheck timeout we ship (compose: 5 s):
# the server is PID 1 and adopts any child this script leaves behind when the engine kills it on
# timeout, and it takes an adopted child's exit code other than 0 or 1 for a crashed backend.
set -Eeuo pipefail

readonly LIB_DIR=${POSTGRES_REPLICATION_LIB:-/usr/local/lib/postgres-replication}
# shellcheck source=lib/log.sh
. "$LIB_DIR/log.sh"
# shellcheck source=lib/environment.sh
. "$LIB_DIR/environment.sh"

# The same user resolution as the entrypoint, *_FILE included. The replication role exists on
# every node of a replicated cluster and has pg_monitor; a primary without replication has only
# POSTGRES_USER.
file_env REPLICATION_USER replicator
file_env REPLICATION_PASSWORD
file_env POSTGRES_USER postgres
user=$REPLICATION_USER
[[ -n $REPLICATION_PASSWORD ]] || user=$POSTGRES_USER
unset REPLICATION_PASSWORD

query="SELECT CASE WHEN NOT pg_is_in_recovery() THEN 'primary'
  WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 'streaming'
  ELSE 'not streaming' END"
# With a pgBackRest repository, a primary's second line says whether WAL archiving works, from
# pg_stat_archiver (same query, no second process). A failing archive is printed but does not make
# the primary unhealthy: it still serves, and the WAL waits in pg_wal until the repository is back.
names=("${!PGBACKREST_REPO1_@}")
if ((${#names[@]} > 0)); then
  query="$query || CASE WHEN pg_is_in_recovery() THEN '' ELSE (SELECT E'\\n' || CASE
    WHEN last_failed_time IS NOT NULL AND (last_archived_time IS NULL OR last_failed_time > last_archived_time)
      THEN 'archiving FAILING: ' || failed_count || ' failure(s), last ' || last_failed_wal || ' at ' || last_failed_time
        || ', last archived ' || coalesce(last_archived_wal || ' at ' || last_archived_time, 'none')
    WHEN last_archived_time IS NULL THEN 'archiving: nothing archived yet'
    ELSE 'archiving ok: last archived ' || last_archived_wal || ' at ' || last_archived_time END
    FROM pg_stat_archiver) END"
fi
# Over the socket, trusted inside the container.
output=$(PGCONNECT_TIMEOUT=2 timeout --kill-after=0.5 3 psql --no-psqlrc --no-align --tuples-only --quiet \
  --username="$user" --dbname=postgres --command="$query" 2>/dev/null) || output="not accepting connections"
echo "$output"
state=${output%%$'\n'*}
[[ $state == primary || $state == streaming ]]
