#!/usr/bin/env bash
# Builds a root filesystem with the official postgres image's layout from Debian packages,
# for machines that cannot reach a registry. Output: a rootfs tarball and a file holding the
# package version, which docker/base/Dockerfile turns into an image.
#
# usage: bootstrap-rootfs.sh PG_MAJOR OUTPUT_DIR
set -Eeuo pipefail

die() { echo "bootstrap-rootfs: $*" >&2; exit 1; }

suite_for_major() {
  case "$1" in
    15) echo bookworm ;;
    17) echo trixie ;;
    # forky is not known to this debootstrap; sid carries 18.
    18) echo sid ;;
    *) die "PostgreSQL $1 has no Debian suite here; choose 15, 17 or 18 (or pass --base-image with an official image)" ;;
  esac
}

bootstrap_debian() {
  local suite=$1 root=$2 major=$3
  debootstrap --variant=minbase --include="postgresql-${major}" "$suite" "$root" >&2 \
    || die "debootstrap of ${suite} failed; see the lines above"
}

# Gives postgres the id 999 (kind: user or group); whoever held 999 takes postgres's old id,
# and file ownership follows both.
move_id_to_999() {
  local root=$1 kind=$2 flag old holder
  if [[ $kind == user ]]; then flag=-uid; else flag=-gid; fi
  old=$(chroot "$root" getent "${kind/user/passwd}" postgres | cut -d: -f3)
  [[ $old == 999 ]] && return 0
  holder=$(chroot "$root" getent "${kind/user/passwd}" 999 | cut -d: -f1 || true)
  local postgres_files holder_files
  postgres_files=$(mktemp) holder_files=$(mktemp)
  find "$root" -xdev "$flag" "$old" -print0 >"$postgres_files"
  find "$root" -xdev "$flag" 999 -print0 >"$holder_files"
  if [[ $kind == user ]]; then
    [[ -n $holder ]] && chroot "$root" usermod -u 65000 "$holder"
    chroot "$root" usermod -u 999 postgres
    [[ -n $holder ]] && chroot "$root" usermod -u "$old" "$holder"
    xargs -0r chown -h 999 <"$postgres_files"
    [[ -n $holder ]] && xargs -0r chown -h "$old" <"$holder_files"
  else
    [[ -n $holder ]] && chroot "$root" groupmod -g 65000 "$holder"
    chroot "$root" groupmod -g 999 postgres
    [[ -n $holder ]] && chroot "$root" groupmod -g "$old" "$holder"
    xargs -0r chgrp -h 999 <"$postgres_files"
    [[ -n $holder ]] && xargs -0r chgrp -h "$old" <"$holder_files"
  fi
  rm -f "$postgres_files" "$holder_files"
}

match_official_layout() {
  local root=$1 major=$2
  # No cluster of Debian's own: the entrypoint creates PGDATA itself.
  rm -rf "${root}/var/lib/postgresql/${major}/main" "${root}/etc/postgresql/${major}/main"
  # uid/gid 999 as in the official image, so volumes move between the two bases.
  move_id_to_999 "$root" group
  move_id_to_999 "$root" user
  # /var/run links to /run by an absolute path: use /run so the host's is never touched.
  mkdir -p "${root}/docker-entrypoint-initdb.d" "${root}/run/postgresql"
  chown 999:999 "${root}/run/postgresql"
  chmod 3777 "${root}/run/postgresql"
  chmod 1777 "${root}/var/lib/postgresql"
  sed -ri "s/^#?(listen_addresses)\s*=\s*\S+.*/\1 = '*'/" \
    "${root}/usr/share/postgresql/${major}/postgresql.conf.sample"
}

empty_caches() {
  local root=$1
  rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/* \
    "${root}"/var/cache/debconf/*-old "${root}"/var/log/*.log
}

package_version() {
  local root=$1 major=$2
  # shellcheck disable=SC2016 # dpkg-query's own format, not a shell expansion
  chroot "$root" dpkg-query -W -f '${Version}' "postgresql-${major}"
}

main() {
  [[ $# -eq 2 ]] || die "usage: bootstrap-rootfs.sh PG_MAJOR OUTPUT_DIR"
  [[ $EUID -eq 0 ]] || die "debootstrap needs root; run as root or pass --base-image"
  command -v debootstrap >/dev/null || die "debootstrap is not installed; apt-get install debootstrap"
  local major=$1 out=$2 suite
  local root
  suite=$(suite_for_major "$major")
  mkdir -p "$out"
  root=$(mktemp -d "${out}/rootfs.XXXXXX")
  # shellcheck disable=SC2064 # expand now: root is local to main
  trap "rm -rf '$root'" EXIT
  bootstrap_debian "$suite" "$root" "$major"
  match_official_layout "$root" "$major"
  empty_caches "$root"
  package_version "$root" "$major" >"${out}/pg-version"
  tar -C "$root" --numeric-owner -cf "${out}/rootfs.tar" .
  echo "bootstrap-rootfs: PostgreSQL $(cat "${out}/pg-version") on Debian ${suite} in ${out}/rootfs.tar" >&2
}

main "$@"
