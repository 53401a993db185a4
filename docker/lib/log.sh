# shellcheck shell=bash
# Log lines for the user: one prefix, never a secret.

log() {
  printf 'postgres-replication: %s\n' "$*" >&2
}

notice() {
  printf 'postgres-replication: notice: %s\n' "$*" >&2
}

# One line naming the cause and the fix, then a non-zero exit. Callers refuse before touching data.
die() {
  printf 'postgres-replication: error: %s\n' "$*" >&2
  exit 1
}
