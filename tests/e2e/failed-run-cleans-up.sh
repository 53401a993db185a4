#!/usr/bin/env bash
# End to end: a run made to fail (the standby gets a wrong replication password) exits
# non-zero, prints the containers' logs, shows the failed target in the table, and leaves no
# container, network or volume behind.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$ROOT"
if ./build.sh Test --pg-version "${PG_VERSION:-18}" --no-pull --standby-env REPLICATION_PASSWORD=not-the-password --wait-timeout 30 >"$LOG" 2>&1; then
  cat "$LOG"
  fail "the run succeeded with a wrong replication password"
fi
cat "$LOG"
grep -q "authentication failed for REPLICATION_USER" "$LOG" || fail "the standby's log line is not in the output"
grep -qE '\| *StartStandby *\| *failed' "$LOG" || fail "the table does not show StartStandby as failed"
grep -qE '\| *Stop *\| *succeeded' "$LOG" || fail "the cleanup did not run"
grep -q "not-the-password" "$LOG" && fail "the password appeared in the output"
left=$(docker ps -aq --filter label=io.postgres-replication.project; docker network ls -q --filter label=io.postgres-replication.project; docker volume ls -q --filter label=io.postgres-replication.project)
[[ -z $left ]] || fail "left behind: $left"
echo "PASS"
