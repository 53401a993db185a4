# shellcheck shell=bash
# PEERS: host[:port] of the cluster's other nodes. A node about to run as a primary asks each of
# them first, and refuses to start next to a peer that is already the primary on a later timeline:
# it was failed over meanwhile. A peer that cannot be asked is named in a notice and the start
# goes on: without a quorum a node cannot tell a dead peer from a partition, so this guard catches
# a forgotten failover, and cannot fence a node that was cut off (see the README).

# peer_conninfo VAR HOST PORT: how this node reaches a peer as REPLICATION_USER.
peer_conninfo() {
  local quoted_host
  conninfo_quote quoted_host "$2"
  printf -v "$1" 'host=%s port=%s user=%s passfile=%s' "$quoted_host" "$3" "$REPLICATION_USER" "$PASSFILE"
}

# not_checked PEER WHY: the notice for a peer this start could not ask.
not_checked() {
  local why=${2#psql: error: }
  notice "PEERS: could not check peer $1 (${why//$'\n'/ }); starting anyway, without knowing whether it was promoted"
}

refuse_if_a_peer_was_promoted() {
  [[ -n ${PEERS:-} ]] || return 0
  if [[ -z $REPLICATION_PASSWORD ]]; then
    notice "PEERS: no peer was checked: REPLICATION_PASSWORD is not set, and the peers are asked as REPLICATION_USER"
    return 0
  fi
  write_passfile
  local local_id local_tli peer host port conninfo reply peer_id peer_timeline in_recovery
  local -a peers
  local_id=$(local_system_identifier)
  local_tli=$(local_timeline)
  IFS=', ' read -ra peers <<<"$PEERS"
  for peer in "${peers[@]}"; do
    [[ -n $peer ]] || continue
    peer_address host port "$peer"
    peer_conninfo conninfo "$host" "$port"
    if ! reply=$(replication_command IDENTIFY_SYSTEM 2 "$conninfo"); then
      not_checked "$host:$port" "$reply"
      continue
    fi
    IFS='|' read -r peer_id peer_timeline _ <<<"$reply"
    if [[ $peer_id != "$local_id" ]]; then
      notice "PEERS: peer $host:$port belongs to another cluster (system identifier $peer_id, this node's is $local_id); check PEERS"
      continue
    fi
    ((peer_timeline > local_tli)) || continue
    if ! in_recovery=$(upstream_query 'SELECT pg_is_in_recovery()' "$conninfo"); then
      not_checked "$host:$port" "$in_recovery"
      continue
    fi
    if [[ $in_recovery == f ]]; then
      die "peer $host:$port is already the primary of this cluster on timeline $peer_timeline (this node's data is on timeline $local_tli); this node must not run as a second primary: rejoin it as a standby with REPLICATION_ROLE=standby PRIMARY_HOST=$host (pg_rewind keeps its volume)"
    fi
  done
}
