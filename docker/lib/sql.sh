# shellcheck shell=bash
# SQL the entrypoint runs itself: values quoted so that no name or password can change a
# statement, and statements run in single-user mode so that any error stops the start.

# Every character but [A-Za-z0-9_] becomes a Unicode escape (U&"..." / U&'...'), so a value
# with quotes, backslashes, dollars or line breaks is one token on one line whatever it holds.
# Perl reads the value from stdin, so a password never shows in a process list.
# unicode_escaped VAR VALUE, as sql_identifier and sql_literal: the result goes into VAR.
unicode_escaped() {
  # Most names are plain and escape to themselves, without a perl to start (each costs tens of
  # milliseconds of a new primary's start). Bash 5 compares glob ranges as ASCII.
  if [[ $2 != *[!A-Za-z0-9_]* ]]; then
    printf -v "$1" '%s' "$2"
    return 0
  fi
  local escaped_value
  escaped_value=$(perl -CI -0777 -ne 's/\n\z//; print join "", map { /[A-Za-z0-9_]/ ? $_ : sprintf("\\+%06X", ord) } split //' <<<"$2")
  printf -v "$1" '%s' "$escaped_value"
}

sql_identifier() {
  unicode_escaped "$1" "$2"
  printf -v "$1" 'U&"%s"' "${!1}"
}

sql_literal() {
  unicode_escaped "$1" "$2"
  printf -v "$1" "U&'%s'" "${!1}"
}

# run_single_user_sql WHAT STATEMENTS [DATABASE]: runs statements, one per line, in single-user mode: no server, no socket, no second start.
# Like initdb, single-user mode looks its uid up (with_passwd_entry, for --user).
# exit_on_error turns the first failing statement into a non-zero exit; the statements (with
# any password) go through stdin and are never logged. On failure the server's own error line
# is shown, then WHAT names the step that failed.
run_single_user_sql() {
  local what=$1 sql=$2 database=${3:-template1} output status=0
  release_own_stale_lock
  output=$(with_passwd_entry postgres --single -D "$PGDATA" -c exit_on_error=on -c log_min_error_statement=panic \
    -c log_statement=none -c log_line_prefix= "$database" <<<"$sql" 2>&1 >/dev/null) || status=$?
  ((status != 0)) || return 0
  grep -E '^(ERROR|FATAL|PANIC|DETAIL|HINT): ' <<<"$output" | head -n 3 | sed 's/^/  /' >&2 || true
  die "$what failed (the server's words are above)"
}

# A container killed with its server leaves postmaster.pid naming the PID the server had, 1. In the
# next container that PID is this script, which the server will become by exec: the server itself
# then treats the file as stale, but single-user mode, a child, would take PID 1 for a live server.
# Only a file naming this very process (or its parent) is removed, as the server would ignore it.
release_own_stale_lock() {
  local lock="$PGDATA/postmaster.pid" pid
  [[ -f $lock ]] || return 0
  read -r pid <"$lock" || return 0
  if [[ $pid == "$$" || $pid == "$PPID" ]]; then
    rm -f "$lock"
  fi
}
