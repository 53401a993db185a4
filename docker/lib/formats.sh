# shellcheck shell=bash
# Checks of the variables that have a format. Each refuses with one line naming the variable,
# what is wrong and what to write instead; all of them run before anything is written.

# A whole number written as PostgreSQL and bash both read it: no sign, no leading zero
# (bash reads 08 as a bad octal number), within MIN..MAX.
require_count() {
  local var=$1 min=$2 max=$3 value=${!1}
  [[ $value =~ ^(0|[1-9][0-9]{0,9})$ ]] \
    || die "$var='$value' is not a whole number; write it in decimal without leading zeros, such as $min"
  ((value >= min && value <= max)) || die "$var=$value is out of range; use $min to $max"
}

# A size as postgresql.conf takes it (a number of megabytes, or with B, kB, MB, GB or TB);
# ALLOW_UNLIMITED also takes -1.
require_size() {
  local var=$1 allow_unlimited=${2:-} value=${!1}
  [[ -n $allow_unlimited && $value == -1 ]] && return 0
  [[ $value =~ ^(0|[1-9][0-9]{0,9})(B|kB|MB|GB|TB)?$ ]] \
    || die "$var='$value' is not a size; use a number with kB, MB, GB or TB, such as 512MB${allow_unlimited:+ (or -1 for no bound)}"
}

is_ipv4() {
  local IFS=. octet
  [[ $1 =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
  for octet in $1; do
    [[ $octet =~ ^(0|[1-9][0-9]*)$ ]] && ((octet <= 255)) || return 1
  done
}

# Eight groups of 1-4 hex digits, or fewer with one "::"; an IPv4 tail is not accepted here.
is_ipv6() {
  local address=$1 groups
  [[ $address =~ ^[0-9a-fA-F:]+$ && $address == *:* && $address != *:::* ]] || return 1
  local compressed=${address//[^:]/}
  if [[ $address == *::* ]]; then
    [[ ${address#*::} != *::* ]] || return 1
    address=${address/::/:0:}
  fi
  address=${address#:}
  address=${address%:}
  IFS=: read -ra groups <<<"$address"
  local group
  for group in "${groups[@]}"; do
    [[ $group =~ ^[0-9a-fA-F]{1,4}$ ]] || return 1
  done
  if [[ $1 == *::* ]]; then ((${#groups[@]} <= 8)); else ((${#groups[@]} == 8 && ${#compressed} == 7)); fi
}

# A DNS name (labels of letters, digits, - and _, as Docker, Swarm and Kubernetes give them)
# or an IP address.
is_host_name() {
  is_ipv4 "$1" || is_ipv6 "$1" \
    || [[ ${#1} -le 253 && $1 =~ ^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$ ]]
}

# peer_address HOST_VAR PORT_VAR PEER: one PEERS entry, host[:port], split into HOST_VAR and
# PORT_VAR (5432 when it names no port).
# Its locals have names no caller passes: printf -v would set a local of the same name instead.
peer_address() {
  local peer_entry=$3 peer_entry_port=5432
  [[ $peer_entry != *:* ]] || peer_entry_port=${peer_entry##*:}
  printf -v "$1" '%s' "${peer_entry%:*}"
  printf -v "$2" '%s' "$peer_entry_port"
}

require_host() {
  local var=$1 value=${!1}
  is_host_name "$value" \
    || die "$var='$value' is not a host name or an IP address; use a name such as primary or an address such as 10.0.0.5"
}

# One pg_hba.conf address: an IPv4 or IPv6 range in CIDR form, or a keyword.
is_cidr() {
  local entry=$1 address prefix
  [[ $entry =~ ^(all|samehost|samenet)$ ]] && return 0
  [[ $entry == */* ]] || return 1
  address=${entry%/*} prefix=${entry##*/}
  [[ $prefix =~ ^(0|[1-9][0-9]{0,2})$ ]] || return 1
  if is_ipv4 "$address"; then ((prefix <= 32)); elif is_ipv6 "$address"; then ((prefix <= 128)); else return 1; fi
}

# Split on commas and spaces without globbing: '*' is a bad range, not the file names here.
check_allowed_cidrs() {
  local entry
  local -a entries=()
  [[ -n ${REPLICATION_ALLOWED_CIDR//[, ]/} ]] \
    || die "REPLICATION_ALLOWED_CIDR is empty; use CIDRs such as 10.0.0.0/8, or samenet, or all"
  [[ $REPLICATION_ALLOWED_CIDR != *[[:cntrl:]]* ]] \
    || die "REPLICATION_ALLOWED_CIDR='$REPLICATION_ALLOWED_CIDR' contains a control character (a line break?); separate the ranges with commas"
  IFS=', ' read -ra entries <<<"$REPLICATION_ALLOWED_CIDR"
  for entry in "${entries[@]}"; do
    [[ -n $entry ]] || continue
    is_cidr "$entry" \
      || die "REPLICATION_ALLOWED_CIDR has '$entry', which is not an address range; use CIDRs such as 10.0.0.0/8 or fd00::/8, or samenet, or all"
  done
}

require_synchronous_commit() {
  [[ -n ${SYNCHRONOUS_COMMIT:-} ]] || return 0
  [[ ${SYNCHRONOUS_COMMIT,,} =~ ^(on|off|local|remote_write|remote_apply)$ ]] \
    || die "SYNCHRONOUS_COMMIT='$SYNCHRONOUS_COMMIT' is not a level; use on, remote_apply, remote_write, local or off"
}

# synchronous_standby_names: [FIRST|ANY] N (name, ...) or name, ... Each name is an application
# name, which this image sets to the standby's slot name, so only slot names (or *) can ever
# match: "standby-1" never would, its standby reports standby_1.
check_synchronous_standby_names() {
  local value=${SYNCHRONOUS_STANDBY_NAMES:-} list count=0 name
  [[ -n ${value// /} ]] || return 0
  local usage="use FIRST 1 (standby_1, standby_2), ANY 1 (...), or a list of slot names"
  if [[ $value =~ ^[[:space:]]*(([Ff][Ii][Rr][Ss][Tt]|[Aa][Nn][Yy])[[:space:]]+)?([0-9]+)[[:space:]]*\((.*)\)[[:space:]]*$ ]]; then
    count=${BASH_REMATCH[3]}
    list=${BASH_REMATCH[4]}
    [[ $count =~ ^[1-9][0-9]{0,2}$ ]] \
      || die "SYNCHRONOUS_STANDBY_NAMES='$value' asks for $count standbys; the number must be 1 or more, without leading zeros"
  elif [[ $value != *[\(\)]* ]]; then
    list=$value
  else
    die "SYNCHRONOUS_STANDBY_NAMES='$value' is not valid; $usage"
  fi
  local -a names=()
  IFS=, read -ra names <<<"$list"
  ((${#names[@]} > 0)) || die "SYNCHRONOUS_STANDBY_NAMES='$value' names no standby; $usage"
  for name in "${names[@]}"; do
    name=${name#"${name%%[![:space:]]*}"}
    name=${name%"${name##*[![:space:]]}"}
    [[ $name =~ ^\"(.*)\"$ ]] && name=${BASH_REMATCH[1]}
    [[ $name == '*' || $name =~ ^[A-Za-z0-9_]{1,63}$ ]] \
      || die "SYNCHRONOUS_STANDBY_NAMES names '$name', which no standby of this image can match: a standby reports its slot name (standby-1 reports standby_1); use slot names or *"
  done
  ((count <= ${#names[@]})) \
    || die "SYNCHRONOUS_STANDBY_NAMES='$value' waits for $count standbys but names ${#names[@]}; every commit would hang; lower the number or name more standbys"
}

# byte_length VAR VALUE: VALUE's length in bytes (PostgreSQL limits names to 63 bytes, not characters).
byte_length() {
  local LC_ALL=C
  printf -v "$1" '%d' "${#2}"
}

# Role names: the server refuses pg_* and public/none, and initdb a superuser name with a quote;
# control characters would break pg_hba.conf and the passfile. Spaces and other characters work.
require_role_name() {
  local var=$1 value=${!1}
  [[ -n $value ]] || die "$var is empty; set it to a role name such as replicator"
  local bytes
  byte_length bytes "$value"
  ((bytes <= 63)) || die "$var='$value' is longer than 63 bytes; use a shorter role name"
  [[ $value != pg_* ]] || die "$var '$value': names starting with pg_ are reserved by PostgreSQL; use another name, such as replicator"
  [[ $value != public && $value != none ]] || die "$var '$value' is a reserved role name; use another name"
  [[ $value != *[[:cntrl:]]* ]] || die "$var contains a control character (a line break?); use a plain name"
  [[ $value != *\"* ]] || die "$var '$value' contains a double quote, which initdb and pg_hba.conf cannot take; use another name"
}

# Secrets are written to a passfile and to SQL; they must be one line of valid UTF-8.
require_secret_text() {
  local var=$1
  [[ ${!var} != *$'\n'* ]] || die "$var contains a line break; use a single-line password"
  # Printable ASCII is valid UTF-8: no perl to start (bash 5 compares glob ranges as ASCII).
  [[ ${!var} == *[!\ -~]* ]] || return 0
  perl -e 'local $/; my $s = <STDIN>; utf8::decode($s) or exit 1' <<<"${!var}" \
    || die "$var is not valid UTF-8 text; write the password (or its _FILE) as UTF-8"
}

# pg_basebackup's --max-rate: kilobytes per second, with an optional k or M; 32k to 1024M.
check_clone_max_rate() {
  [[ -n ${CLONE_MAX_RATE:-} ]] || return 0
  local kilobytes
  [[ $CLONE_MAX_RATE =~ ^([1-9][0-9]{0,6}|0)([kM]?)$ ]] \
    || die "CLONE_MAX_RATE='${CLONE_MAX_RATE}' is not a transfer rate; use kilobytes per second, or a number without leading zeros with k or M such as 50M"
  kilobytes=${BASH_REMATCH[1]}
  [[ ${BASH_REMATCH[2]} != M ]] || kilobytes=$((kilobytes * 1024))
  ((kilobytes >= 32 && kilobytes <= 1048576)) \
    || die "CLONE_MAX_RATE='${CLONE_MAX_RATE}' is out of range; pg_basebackup accepts 32k to 1024M"
}
