#!/usr/bin/env bash
# Installs Compose v2 (the `docker compose` CLI plugin) on this host from Debian sid's
# docker-compose package, the one Debian suite that ships v2: one Go binary needing only glibc
# 2.34+, so it runs on bookworm with the preinstalled docker CLI. No registry is reachable, so the
# package is fetched inside a container of the offline sid base (the PostgreSQL 18 base, which
# ./build.sh BaseImage builds when it is missing). Does nothing when the plugin already answers.
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly PLUGIN_DIR=/usr/libexec/docker/cli-plugins
readonly PLUGIN=$PLUGIN_DIR/docker-compose
# The PostgreSQL major whose offline base is bootstrapped from sid (docker/base/bootstrap-rootfs.sh).
readonly SID_PG_VERSION=18

die() { echo "install-compose-v2: $*" >&2; exit 1; }

plugin_answers() { docker compose version >/dev/null 2>&1; }

# fetch_plugin IMAGE DEST: the plugin file from sid's docker-compose package, copied to DEST.
# The container is labelled and removed with --rm; the package is unpacked inside it, never on the host.
fetch_plugin() {
  local image=$1 dest=$2
  # The base's apt lists were fetched when it was built; sid's Release files expire within a
  # week, so validity is not checked (the packages' own hashes still are).
  docker run --rm --network bridge --label io.postgres-replication.project=compose-v2-install \
    --user root --entrypoint bash "$image" -Eeuo pipefail -c '
      cd /tmp
      apt-get -qq -o Acquire::Check-Valid-Until=false update >/dev/null
      apt-get -qq download docker-compose >/dev/null
      dpkg -x docker-compose_*.deb unpacked
      cat unpacked/usr/libexec/docker/cli-plugins/docker-compose' >"$dest"
}

# A download cut short is removed, never left beside the plugin.
partial=
trap '[[ -z $partial ]] || rm -f "$partial"' EXIT

main() {
  if plugin_answers; then
    docker compose version
    return 0
  fi
  [[ -w $PLUGIN_DIR || ( ! -e $PLUGIN_DIR && -w ${PLUGIN_DIR%/*} ) || $EUID -eq 0 ]] \
    || die "cannot write $PLUGIN_DIR: run as root"
  NO_PULL=true ./build.sh BaseImage --pg-version "$SID_PG_VERSION" >/dev/null \
    || die "no sid base image: ./build.sh BaseImage --pg-version $SID_PG_VERSION failed"
  local image=postgres-replication-base:$SID_PG_VERSION
  mkdir -p "$PLUGIN_DIR"
  partial=$(mktemp "$PLUGIN_DIR/.docker-compose.XXXXXX")
  fetch_plugin "$image" "$partial" || die "could not fetch sid's docker-compose package inside $image"
  chmod 0755 "$partial"
  mv "$partial" "$PLUGIN"
  plugin_answers || die "$PLUGIN was installed but 'docker compose version' does not answer"
  docker compose version
}

main "$@"
