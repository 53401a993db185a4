# shellcheck shell=bash
# The haproxy role: one endpoint that follows the leader. Port 5432 reaches only the member whose
# Patroni answers GET /primary with 200, port 5433 the members answering GET /replica (streaming
# replicas), both checked every second; a member marked down has its sessions cut, so no client
# stays connected to a demoted leader.

readonly HAPROXY_CONFIG=${HAPROXY_CONFIG:-/run/haproxy/haproxy.cfg}

load_haproxy_environment() {
  [[ -n ${HA_MEMBERS:-} ]] \
    || die "HA_MEMBERS is not set; list the Patroni members' host names, comma-separated, such as member-1,member-2,member-3"
  [[ $HA_MEMBERS != *[[:cntrl:]]* ]] \
    || die "HA_MEMBERS contains a control character (a line break?); separate the members with commas"
  local -a entries=()
  local entry
  IFS=', ' read -ra entries <<<"$HA_MEMBERS"
  MEMBERS=()
  for entry in "${entries[@]}"; do
    [[ -n $entry ]] || continue
    is_host_name "$entry" \
      || die "HA_MEMBERS has '$entry', which is not a host name or an IP address; list the members' host names, comma-separated, such as member-1,member-2,member-3"
    MEMBERS+=("$entry")
  done
  ((${#MEMBERS[@]} > 0)) \
    || die "HA_MEMBERS names no member; list the Patroni members' host names, such as member-1,member-2,member-3"
}

# print_servers: one server line per member. Names are resolved again every second through the
# container's DNS (a member re-created gets a new address), and a member not yet resolvable is
# down instead of stopping HAProxy.
print_servers() {
  local member index=0
  for member in "${MEMBERS[@]}"; do
    index=$((index + 1))
    printf '    server member%d %s:5432 check port 8008 resolvers dns init-addr last,libc,none\n' "$index" "$member"
  done
}

print_haproxy_config() {
  cat <<CFG
# Written by ha-entrypoint.sh at every start from HA_MEMBERS; edits are lost.
global
    maxconn 4096
    log stdout format raw local0 notice

resolvers dns
    parse-resolv-conf
    hold valid 1s
    hold nx 1s
    hold obsolete 1s

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 3s
    timeout client 30m
    timeout server 30m
    timeout check 2s
    default-server inter 1s fastinter 1s downinter 1s rise 1 fall 2 on-marked-down shutdown-sessions

listen primary
    bind :5432
    option httpchk
    http-check send meth GET uri /primary
    http-check expect status 200
$(print_servers)

listen replicas
    bind :5433
    balance roundrobin
    option httpchk
    http-check send meth GET uri /replica
    http-check expect status 200
$(print_servers)
CFG
}

write_haproxy_config() {
  print_haproxy_config >"$HAPROXY_CONFIG.tmp"
  mv "$HAPROXY_CONFIG.tmp" "$HAPROXY_CONFIG"
  log "wrote $HAPROXY_CONFIG for members ${MEMBERS[*]}: 5432 the leader, 5433 the replicas"
}

run_haproxy() {
  haproxy -c -q -f "$HAPROXY_CONFIG" || die "HAProxy refused $HAPROXY_CONFIG (its reason is above); check HA_MEMBERS"
  log "starting HAProxy"
  if ((EUID == 0)); then
    exec setpriv --reuid=haproxy --regid=haproxy --init-groups haproxy -W -db -f "$HAPROXY_CONFIG"
  fi
  exec haproxy -W -db -f "$HAPROXY_CONFIG"
}
