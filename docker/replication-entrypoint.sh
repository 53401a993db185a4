#!/usr/bin/env bash
# Entrypoint of the postgres-replication image: the same container runs as a primary or as a
# hot standby, chosen by REPLICATION_ROLE. It checks the environment, prepares PGDATA as root,
# then runs the role's setup and the server itself as the postgres user.
set -Eeuo pipefail

readonly LIB_DIR=${POSTGRES_REPLICATION_LIB:-/usr/local/lib/postgres-replication}
# shellcheck source=lib/log.sh
. "$LIB_DIR/log.sh"
# shellcheck source=lib/formats.sh
. "$LIB_DIR/formats.sh"
# shellcheck source=lib/limits.sh
. "$LIB_DIR/limits.sh"
# shellcheck source=lib/environment.sh
. "$LIB_DIR/environment.sh"
# shellcheck source=lib/cluster.sh
. "$LIB_DIR/cluster.sh"
# shellcheck source=lib/sql.sh
. "$LIB_DIR/sql.sh"
# shellcheck source=lib/configuration.sh
. "$LIB_DIR/configuration.sh"
# shellcheck source=lib/storage.sh
. "$LIB_DIR/storage.sh"
# shellcheck source=lib/upstream.sh
. "$LIB_DIR/upstream.sh"
# shellcheck source=lib/peers.sh
. "$LIB_DIR/peers.sh"
# shellcheck source=lib/rewind.sh
. "$LIB_DIR/rewind.sh"
# shellcheck source=lib/backup.sh
. "$LIB_DIR/backup.sh"
# shellcheck source=lib/primary.sh
. "$LIB_DIR/primary.sh"
# shellcheck source=lib/standby.sh
. "$LIB_DIR/standby.sh"

# PGDATA belongs to postgres with mode 0700; only files of another owner are changed, so a
# healthy data directory is left exactly as it was. One find per directory: every process
# started here delays the server (docs/performance.md).
prepare_data_directory() {
  local directory
  for directory in "$PGDATA" ${POSTGRES_INITDB_WALDIR:+"$POSTGRES_INITDB_WALDIR"}; do
    [[ -d $directory ]] || mkdir -p "$directory"
    find "$directory" \( -samefile "$directory" ! -perm 0700 -exec chmod 0700 {} + \) , \
      \( ! -user postgres -exec chown postgres:postgres {} + \)
  done
  install -d -o postgres -g postgres -m 3777 /var/run/postgresql
}

# closed_ancestor VAR PATH: the first directory above PATH that this uid may not enter, into VAR
# (empty when there is none). Only tests, no process: it runs on the refusal path.
closed_ancestor() {
  local path=${2%/*} ancestor=''
  local -a parts=()
  IFS=/ read -ra parts <<<"$path"
  local part
  printf -v "$1" '%s' ''
  for part in "${parts[@]}"; do
    [[ -n $part ]] || continue
    ancestor+=/$part
    if [[ -d $ancestor && ! -x $ancestor ]]; then
      printf -v "$1" '%s' "$ancestor"
      return 0
    fi
  done
}

# Started with --user, or as postgres after the root part: the directories must already let this
# uid in (a volume it owns, or a PGDATA below the image's world-writable volume, as the official
# image documents). A directory above them that it cannot enter (a restored backup's parent, 0700
# and root's) is named, since that is what must change.
prepare_data_directory_as_user() {
  local directory closed
  for directory in "$PGDATA" ${POSTGRES_INITDB_WALDIR:+"$POSTGRES_INITDB_WALDIR"}; do
    closed_ancestor closed "$directory"
    [[ -z $closed ]] \
      || die "$directory is below $closed, which uid $EUID (the server's user) may not enter (owner uid $(stat -c '%u, mode %a' "$closed")); let it in with chmod o+x $closed (or chown it to uid $EUID), or mount the data elsewhere"
    [[ -d $directory ]] || mkdir -p "$directory" 2>/dev/null \
      || die "$directory cannot be created by uid $EUID; give that uid a volume it owns, or set PGDATA to a directory below the volume"
    [[ -O $directory ]] \
      || die "$directory belongs to uid $(stat -c %u "$directory"), not to uid $EUID that this container runs as; chown it, or set PGDATA to a new directory below the volume"
    chmod 0700 "$directory"
  done
}

# The server never runs as root: re-run this script as postgres (setpriv is in every Debian base).
run_as_postgres() {
  if command -v gosu >/dev/null; then
    exec gosu postgres "${BASH_SOURCE[0]}" "$@"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
}

# postgres itself, but not one of its options that only print something and exit.
is_server_command() {
  [[ ${1:-} == postgres ]] || return 1
  local argument
  for argument in "$@"; do
    case $argument in
      -V | --version | --help | '-?' | -C | --describe-config) return 1 ;;
    esac
  done
}

main() {
  if [[ ${1:-} == -* ]]; then
    set -- postgres "$@"
  fi
  if ! is_server_command "$@"; then
    exec "$@"
  fi
  : "${PGDATA:?PGDATA is not set; this image needs a base with the official postgres image layout}"
  # Checked once: as root before anything is written, and not again after the re-exec as postgres
  # (same process id), which inherits the resolved environment.
  if [[ ${POSTGRES_REPLICATION_CHECKED_BY:-} != "$$" ]]; then
    load_environment
  fi
  unset POSTGRES_REPLICATION_CHECKED_BY
  upstream_conninfo
  if ((EUID == 0)); then
    prepare_data_directory
    export POSTGRES_REPLICATION_CHECKED_BY=$$
    run_as_postgres "$@"
  else
    # Also as postgres itself (Kubernetes runAsUser 999): nothing has created PGDATA yet.
    prepare_data_directory_as_user
  fi
  local role=primary
  if [[ $REPLICATION_ROLE == primary ]]; then
    prepare_primary
  else
    prepare_standby role  # a standby promoted while it ran starts as the primary it is
  fi
  record_started_role "$role"
  # The server and its children do not need the secrets in their environment.
  unset POSTGRES_PASSWORD REPLICATION_PASSWORD
  log "starting PostgreSQL as the ${role}"
  exec "$@"
}

main "$@"
