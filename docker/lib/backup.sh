# shellcheck shell=bash
# Backups with pgBackRest, only when a repository is configured (any PGBACKREST_REPO1_* variable,
# pgBackRest's own names): its settings checked, its configuration file, WAL archiving, the stanza,
# and the two ways of filling an empty PGDATA from the repository (a standby's clone, a primary's
# restore to a recovery target). Without a repository none of this runs.

readonly PGBACKREST_CONF=/etc/pgbackrest/pgbackrest.conf
# A restore fills this directory below PGDATA, whose contents then move up (as initdb's do): a
# restore cut short leaves only this directory and the first-start marker, which the next start removes.
readonly RESTORE_DIRECTORY=postgres-replication.restore
# The target a primary was restored to, so that a restart with the same RECOVERY_TARGET_* starts
# the restored primary instead of refusing its (now non-empty) volume.
readonly RESTORED_STATE=postgres-replication.restored-to
readonly RECOVERY_TARGET_VARIABLES=(RECOVERY_TARGET_TIME RECOVERY_TARGET_LSN RECOVERY_TARGET_NAME RECOVERY_TARGET)

backup_repository_configured() {
  local names=("${!PGBACKREST_REPO1_@}")
  ((${#names[@]} > 0))
}

# recovery_target VAR: "NAME=value" of the one RECOVERY_TARGET_* variable set, or empty, into VAR.
recovery_target() {
  local name
  printf -v "$1" '%s' ''
  for name in "${RECOVERY_TARGET_VARIABLES[@]}"; do
    [[ -z ${!name:-} ]] || printf -v "$1" '%s=%s' "$name" "${!name}"
  done
}

check_recovery_target() {
  local name set=()
  for name in "${RECOVERY_TARGET_VARIABLES[@]}"; do
    [[ -z ${!name:-} ]] || set+=("$name")
  done
  ((${#set[@]} <= 1)) \
    || die "${set[*]} are all set; a restore recovers to one target: keep only one of them"
  ((${#set[@]} == 1)) || return 0
  backup_repository_configured \
    || die "${set[0]} is set but no pgBackRest repository is; set PGBACKREST_REPO1_PATH (a mounted volume) or the PGBACKREST_REPO1_S3_* settings to restore from it"
  [[ $REPLICATION_ROLE == primary ]] \
    || die "${set[0]} is set on a standby; a restore brings back a primary: start it with REPLICATION_ROLE=primary, and its standbys with CLONE_FROM=repository or from it"
  local value=${!set[0]}
  case ${set[0]} in
    RECOVERY_TARGET)
      [[ $value == latest ]] \
        || die "RECOVERY_TARGET='$value' is not a target; set RECOVERY_TARGET=latest (the end of the archive), or use RECOVERY_TARGET_TIME, _LSN or _NAME" ;;
    RECOVERY_TARGET_TIME)
      [[ $value =~ ^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[\ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?\ ?(Z|UTC|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$ ]] \
        || die "RECOVERY_TARGET_TIME='$value' is not a timestamp with a time zone; write it as 2026-12-04 16:05:00+00 (or ...Z)" ;;
    RECOVERY_TARGET_LSN)
      [[ $value =~ ^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$ ]] \
        || die "RECOVERY_TARGET_LSN='$value' is not an LSN; write it as pg_current_wal_lsn() prints it, such as 0/3000060" ;;
    RECOVERY_TARGET_NAME)
      local bytes
      byte_length bytes "$value"
      [[ $value != *[[:cntrl:]\'\\]* && bytes -le 63 ]] \
        || die "RECOVERY_TARGET_NAME='$value' is not a restore point name; use the name given to pg_create_restore_point() (at most 63 bytes, no quotes or backslashes)" ;;
  esac
}

check_repository_settings() {
  local name value
  for name in "${!PGBACKREST_@}"; do
    value=${!name}
    [[ $value != *[[:cntrl:]]* ]] \
      || die "$name contains a control character (a line break?); write its value on one line"
  done
  [[ $PGBACKREST_STANZA =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ ]] \
    || die "PGBACKREST_STANZA='$PGBACKREST_STANZA' is not a stanza name; use letters, digits, _ . and -, such as main"
  if [[ -n ${PGBACKREST_REPO1_PATH:-} ]]; then
    [[ $PGBACKREST_REPO1_PATH == /* && $PGBACKREST_REPO1_PATH != *//* && /$PGBACKREST_REPO1_PATH/ != */../* ]] \
      || die "PGBACKREST_REPO1_PATH='$PGBACKREST_REPO1_PATH' is not an absolute path; use the repository's directory such as /var/lib/pgbackrest"
  fi
  local type=${PGBACKREST_REPO1_TYPE:-posix}
  case $type in
    posix | cifs) ;;
    s3)
      for name in PGBACKREST_REPO1_S3_BUCKET PGBACKREST_REPO1_S3_ENDPOINT PGBACKREST_REPO1_S3_REGION; do
        [[ -n ${!name:-} ]] || die "PGBACKREST_REPO1_TYPE=s3 needs $name; set it to the bucket's"
      done ;;
    azure | gcs | sftp) ;;
    *) die "PGBACKREST_REPO1_TYPE='$type' is not a repository type; use posix (a mounted volume, the default), s3, azure, gcs, sftp or cifs" ;;
  esac
  [[ -z ${PGBACKREST_REPO1_RETENTION_FULL:-} ]] || require_count PGBACKREST_REPO1_RETENTION_FULL 1 9999999
  case ${PGBACKREST_REPO1_CIPHER_TYPE:-none} in
    none) ;;
    aes-256-cbc)
      [[ -n ${PGBACKREST_REPO1_CIPHER_PASS:-} ]] \
        || die "PGBACKREST_REPO1_CIPHER_TYPE=aes-256-cbc needs PGBACKREST_REPO1_CIPHER_PASS; set it to the repository's passphrase" ;;
    *) die "PGBACKREST_REPO1_CIPHER_TYPE='$PGBACKREST_REPO1_CIPHER_TYPE' is not a cipher; use none or aes-256-cbc" ;;
  esac
}

# A restore never writes into a volume that holds data. Allowed: an empty PGDATA, one holding a
# first start of this image that was cut short (removed later), or a primary this image restored
# to the very same target before (a restart of the restored container).
refuse_restore_into_data() {
  local target entry restored=
  recovery_target target
  [[ -n $target && -d $PGDATA ]] || return 0
  [[ ! -f "$PGDATA/$INIT_MARKER" ]] || return 0
  if [[ -f "$PGDATA/$RESTORED_STATE" ]]; then
    read -r restored <"$PGDATA/$RESTORED_STATE" || true
    [[ $restored != "$target" ]] || return 0
  fi
  for entry in "$PGDATA"/* "$PGDATA"/.*; do
    [[ -e $entry || -L $entry ]] || continue
    [[ ${entry##*/} == . || ${entry##*/} == .. ]] && continue
    die "${target%%=*} is set but PGDATA ($PGDATA) holds data (${entry##*/}), left untouched; a restore needs an empty volume: start it on a new volume, or unset ${target%%=*} to start this data as it is"
  done
}

check_backup_settings() {
  export CLONE_FROM=${CLONE_FROM:-primary}
  case $CLONE_FROM in
    primary | repository) ;;
    *) die "CLONE_FROM='$CLONE_FROM' is not a source; set it to primary (pg_basebackup, the default) or repository (the latest pgBackRest backup)" ;;
  esac
  if [[ $CLONE_FROM == repository ]] && ! backup_repository_configured; then
    die "CLONE_FROM=repository needs a pgBackRest repository; set PGBACKREST_REPO1_PATH (a mounted volume) or the PGBACKREST_REPO1_S3_* settings"
  fi
  check_recovery_target
  backup_repository_configured || return 0
  export PGBACKREST_STANZA=${PGBACKREST_STANZA:-main}
  check_repository_settings
  refuse_restore_into_data
}

# Read by `docker exec -u postgres NAME pgbackrest info|check|backup` too: the stanza's section names
# this server; the repository comes from the container's PGBACKREST_* environment, which docker exec
# inherits. File logs are off: failures go to stderr, hence to the server's log, and nothing grows.
write_pgbackrest_conf() {
  backup_repository_configured || return 0
  {
    print_input <<CONF
# Written by the postgres-replication entrypoint at every start; the repository is in the environment.
[global]
lock-path=/tmp/pgbackrest
spool-path=/var/spool/pgbackrest
log-path=/var/log/pgbackrest
log-level-file=off
start-fast=y

[${PGBACKREST_STANZA}]
pg1-path=${PGDATA}
pg1-socket-path=/var/run/postgresql
pg1-user=${POSTGRES_USER:-postgres}
CONF
  } 2>/dev/null >"$PGBACKREST_CONF.tmp" \
    || die "$PGBACKREST_CONF cannot be written by uid $EUID; run the container as root or as postgres to use a pgBackRest repository"
  mv "$PGBACKREST_CONF.tmp" "$PGBACKREST_CONF"
}

# Server settings for the replication conf: archive to the repository, fetch from it in recovery
# (a standby that lost its slot or fell behind catches up from the archive).
write_backup_settings() {
  backup_repository_configured || return 0
  local push get
  conf_quote push "pgbackrest --stanza=$PGBACKREST_STANZA archive-push %p"
  conf_quote get "pgbackrest --stanza=$PGBACKREST_STANZA archive-get %f \"%p\""
  print_input <<CONF
archive_mode = on
archive_command = ${push}
restore_command = ${get}
CONF
}

# Runs pgBackRest with the server's socket-only options; its output goes to the log.
pgbackrest_command() {
  pgbackrest --stanza="$PGBACKREST_STANZA" "$@"
}

# The stanza must exist before the first WAL is archived. It is created at the first start, and
# on a later start only when the repository says it is missing (exit code 55: file missing); a
# repository that does not answer then is said, and the primary starts anyway.
ensure_stanza() {
  backup_repository_configured || return 0
  local status=0
  pgbackrest_command repo-get "archive/$PGBACKREST_STANZA/archive.info" >/dev/null 2>&1 || status=$?
  case $status in
    0) return 0 ;;
    55) ;;
    *)
      notice "the pgBackRest repository does not answer (repo-get exit code $status); the primary starts, and WAL archiving fails until it is back (see pg_stat_archiver and the healthcheck)"
      return 0 ;;
  esac
  log "creating pgBackRest stanza $PGBACKREST_STANZA"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c archive_mode=off" -w start >/dev/null \
    || die "the temporary server for pgBackRest's stanza-create did not start (see above)"
  local output
  if ! output=$(pgbackrest_command stanza-create 2>&1); then
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null || true
    die "pgbackrest stanza-create failed: ${output//$'\n'/ }; check the PGBACKREST_REPO1_* settings and that the repository is writable by postgres"
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
}

# restore_into_pgdata WHAT ARGS...: pgbackrest restore into a directory below PGDATA, then its
# contents move up; a restore cut short leaves only that directory.
restore_into_pgdata() {
  local what=$1 started=$SECONDS output
  shift
  local directory="$PGDATA/$RESTORE_DIRECTORY"
  rm -rf "$directory"
  mkdir -m 0700 "$directory"
  # pgBackRest would write the --pg1-path of this directory into restore_command: the server's own instead.
  if ! output=$(pgbackrest_command --pg1-path="$directory" restore --delta \
    --recovery-option="restore_command=pgbackrest --stanza=$PGBACKREST_STANZA archive-get %f \"%p\"" "$@" 2>&1); then
    rm -rf "$directory"
    die "pgbackrest restore for $what failed: ${output//$'\n'/ }"
  fi
  shopt -s dotglob
  mv "$directory"/* "$PGDATA/"
  shopt -u dotglob
  rmdir "$directory"
  sync -f "$PGDATA" || die "could not flush the restored cluster in $PGDATA to disk; check the volume"
  log "restored $(du -sh "$PGDATA" | cut -f1) from the repository in $((SECONDS - started)) s"
}

# A restore into a subdirectory that was cut short: removed, as the interrupted clone is.
remove_interrupted_restore() {
  [[ -d "$PGDATA/$RESTORE_DIRECTORY" ]] || return 0
  notice "the last restore into $PGDATA did not finish; removing it to restore again"
  find "$PGDATA" -mindepth 1 -delete
}

# The standby's clone from the repository's latest backup instead of pg_basebackup: WAL after it
# comes from the archive, then from the primary by streaming (its slot is created just before).
clone_from_repository() {
  log "cloning into $PGDATA from the latest backup of pgBackRest stanza $PGBACKREST_STANZA (CLONE_FROM=repository)"
  ensure_slot_upstream
  restore_into_pgdata "a standby" --type=standby
}

# A new primary from the repository, to the one RECOVERY_TARGET_* set: it recovers, promotes on a
# new timeline and archives again to the same stanza.
restore_primary() {
  local target
  recovery_target target
  local name=${target%%=*} value=${target#*=}
  local -a how=()
  case $name in
    RECOVERY_TARGET) how=(--type=default) ;;
    RECOVERY_TARGET_TIME) how=(--type=time --target="$value") ;;
    RECOVERY_TARGET_LSN) how=(--type=lsn --target="$value") ;;
    RECOVERY_TARGET_NAME) how=(--type=name --target="$value") ;;
  esac
  [[ $name == RECOVERY_TARGET ]] || how+=(--target-action=promote)
  log "restoring a new primary into $PGDATA from pgBackRest stanza $PGBACKREST_STANZA to $target"
  : >"$PGDATA/$INIT_MARKER"
  restore_into_pgdata "$target" "${how[@]}"
  printf '%s\n' "$target" >"$PGDATA/$RESTORED_STATE"
  rm -f "$PGDATA/$INIT_MARKER"
}

primary_restore_requested() {
  local target
  recovery_target target
  [[ -n $target ]] && ! pgdata_is_initialised
}
