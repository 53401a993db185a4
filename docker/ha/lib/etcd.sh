# shellcheck shell=bash
# The etcd role: etcd as user etcd, its data in /var/lib/etcd (a volume), configured by etcd's own
# ETCD_* variables. Only what a member cannot start without is checked here; the addresses a
# container needs (listening on every interface, advertising its host name) are defaulted.

load_etcd_environment() {
  [[ -n ${ETCD_NAME:-} ]] || die "ETCD_NAME is not set; name this etcd member, such as etcd-1"
  [[ $ETCD_NAME =~ ^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$ ]] \
    || die "ETCD_NAME='$ETCD_NAME' is not a plain name; use letters, digits, '.', '-' and '_', such as etcd-1"
  [[ -n ${ETCD_INITIAL_CLUSTER:-} ]] \
    || die "ETCD_INITIAL_CLUSTER is not set; list every member as name=http://host:2380, comma-separated, such as etcd-1=http://etcd-1:2380,etcd-2=http://etcd-2:2380,etcd-3=http://etcd-3:2380"
  [[ ,$ETCD_INITIAL_CLUSTER, == *,"$ETCD_NAME"=* ]] \
    || die "ETCD_INITIAL_CLUSTER does not list this member's ETCD_NAME ($ETCD_NAME); add $ETCD_NAME=http://$ETCD_NAME:2380 to it"
  [[ $ETCD_INITIAL_CLUSTER != *[[:cntrl:][:space:]]* ]] \
    || die "ETCD_INITIAL_CLUSTER contains a space or a control character; separate the members with commas only"
  export ETCD_DATA_DIR=${ETCD_DATA_DIR:-/var/lib/etcd/data}
  export ETCD_LISTEN_PEER_URLS=${ETCD_LISTEN_PEER_URLS:-http://0.0.0.0:2380}
  export ETCD_LISTEN_CLIENT_URLS=${ETCD_LISTEN_CLIENT_URLS:-http://0.0.0.0:2379}
  export ETCD_INITIAL_ADVERTISE_PEER_URLS=${ETCD_INITIAL_ADVERTISE_PEER_URLS:-http://$ETCD_NAME:2380}
  export ETCD_ADVERTISE_CLIENT_URLS=${ETCD_ADVERTISE_CLIENT_URLS:-http://$ETCD_NAME:2379}
  require_directory_path ETCD_DATA_DIR
}

prepare_etcd_data_directory() {
  own_directory "${ETCD_DATA_DIR%/*}" etcd
}

run_etcd() {
  log "starting etcd member $ETCD_NAME"
  if ((EUID == 0)); then
    exec setpriv --reuid=etcd --regid=etcd --init-groups etcd
  fi
  exec etcd
}
