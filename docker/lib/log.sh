# shellcheck shell=bash
# Log lines for the user: one prefix, never a secret.

log() {
  printf 'postgres-replication: %s\n' "$*" >&2
}

notice() {
  local message
  one_line message "$*"
  printf 'postgres-replication: notice: %s\n' "$message" >&2
}

# one_line VAR TEXT: TEXT with its line breaks written as \n and other control characters as ?,
# into VAR: a value the user typed cannot split a log line in two.
one_line() {
  local text=${2//$'\n'/\\n}
  text=${text//$'\r'/\\r}
  printf -v "$1" '%s' "${text//[[:cntrl:]]/?}"
}

# One line naming the cause and the fix, then a non-zero exit. Callers refuse before touching data.
die() {
  local message
  one_line message "$*"
  printf 'postgres-replication: error: %s\n' "$message" >&2
  exit 1
}
