# shellcheck shell=bash
# SQL the entrypoint runs itself: values quoted so that no name or password can change a
# statement, and statements run in single-user mode so that any error stops the start.

# Every character but [A-Za-z0-9_] becomes a Unicode escape (U&"..." / U&'...'), so a value
# with quotes, backslashes, dollars or line breaks is one token on one line whatever it holds.
# Perl reads the value from stdin, so a password never shows in a process list.
unicode_escaped() {
  perl -CI -0777 -ne 's/\n\z//; print join "", map { /[A-Za-z0-9_]/ ? $_ : sprintf("\\+%06X", ord) } split //' <<<"$1"
}

sql_identifier() {
  printf 'U&"%s"' "$(unicode_escaped "$1")"
}

sql_literal() {
  printf "U&'%s'" "$(unicode_escaped "$1")"
}

# Runs statements, one per line, in single-user mode: no server, no socket, no second start.
# exit_on_error turns the first failing statement into a non-zero exit; the statements (with
# any password) go through stdin and are never logged. On failure the server's own error line
# is shown, then WHAT names the step that failed.
run_single_user_sql() {
  local what=$1 sql=$2 output status=0
  output=$(postgres --single -D "$PGDATA" -c exit_on_error=on -c log_min_error_statement=panic \
    -c log_statement=none -c log_line_prefix= template1 <<<"$sql" 2>&1 >/dev/null) || status=$?
  ((status != 0)) || return 0
  grep -E '^(ERROR|FATAL|PANIC|DETAIL|HINT): ' <<<"$output" | head -n 3 | sed 's/^/  /' >&2 || true
  die "$what failed (the server's words are above); nothing else was changed"
}
