# shellcheck shell=bash
# What this node's own data says: its control file, the role the image last started the server
# as, and running the server's tools under a uid without a passwd entry. Calls only log.sh.

# The role the image last started the server as from this PGDATA (standby or primary), written
# just before every start, or "rewinding" while pg_rewind may leave the data without
# standby.signal. A standby's data without standby.signal was promoted while it ran.
readonly STARTED_ROLE_STATE=postgres-replication.started-as

# initdb looks its user up by uid: a --user without a passwd entry gets one from nss_wrapper,
# for initdb only, as the official image does.
# The lookup is made once per start (PASSWD_ENTRY: yes or no).
with_passwd_entry() {
  if [[ -z ${PASSWD_ENTRY:-} ]]; then
    PASSWD_ENTRY=no
    getent passwd "$EUID" >/dev/null && PASSWD_ENTRY=yes
  fi
  if [[ $PASSWD_ENTRY == yes ]]; then
    "$@"
    return
  fi
  local library
  library=$(compgen -G '/usr/lib/*/libnss_wrapper.so' | head -n 1) \
    || die "uid $EUID has no entry in /etc/passwd and nss_wrapper is missing; run as postgres, or bind-mount an /etc/passwd that has it"
  local passwd group status=0
  passwd=$(mktemp) group=$(mktemp)
  { cat /etc/passwd; printf 'postgres:x:%s:%s:PostgreSQL:%s:/bin/false\n' "$EUID" "$(id -g)" "$PGDATA"; } >"$passwd"
  { cat /etc/group; getent group "$(id -g)" >/dev/null || printf 'postgres:x:%s:\n' "$(id -g)"; } >"$group"
  LD_PRELOAD=$library NSS_WRAPPER_PASSWD=$passwd NSS_WRAPPER_GROUP=$group "$@" || status=$?
  rm -f "$passwd" "$group"
  return "$status"
}

# The C locale keeps pg_controldata's field names in English, whatever the image's LANG.
control_value() {
  LC_ALL=C pg_controldata "$PGDATA" | awk -F': *' -v key="$1" '$1 == key { print $2 }'
}

local_system_identifier() {
  control_value 'Database system identifier'
}

local_timeline() {
  control_value "Latest checkpoint's TimeLineID"
}

record_started_role() {
  printf '%s\n' "$1" >"$PGDATA/$STARTED_ROLE_STATE.tmp"
  mv "$PGDATA/$STARTED_ROLE_STATE.tmp" "$PGDATA/$STARTED_ROLE_STATE"
}

# data_was_promoted: the server last ran from this data as a standby, and standby.signal is gone:
# it was promoted (pg_promote, pg_ctl promote) while it ran. Data of an image before this record
# existed, a former primary and a rewind cut short all say no, and wait for their upstream.
data_was_promoted() {
  local last=
  [[ ! -f "$PGDATA/standby.signal" && -f "$PGDATA/$STARTED_ROLE_STATE" ]] || return 1
  read -r last <"$PGDATA/$STARTED_ROLE_STATE" || true
  [[ $last == standby ]]
}
