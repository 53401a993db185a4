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
# Over the socket, trusted inside the container.
state=$(PGCONNECT_TIMEOUT=2 timeout --kill-after=0.5 3 psql --no-psqlrc --no-align --tuples-only --quiet \
  --username="$user" --dbname=postgres --command="$query" 2>/dev/null) || state="not accepting connections"
echo "$state"
[[ $state == primary || $state == streaming ]]
