#!/usr/bin/env bash
# Builds a root filesystem with the official postgres image's layout from Debian packages,
# for machines that cannot reach a registry. Output: a rootfs tarball and a file holding the
# package version, which docker/base/Dockerfile turns into an image.
#
# usage: bootstrap-rootfs.sh PG_MAJOR OUTPUT_DIR [ARCH]
#
# ARCH is a Debian architecture (amd64, arm64), the machine's own by default. Another one is
# bootstrapped in two stages, the second inside the rootfs, so its binaries must run here
# (qemu-user-static with binfmt_misc); the chroot steps below then run under emulation too.
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

# What the official image carries besides the server: JIT (a package of its own from 17 on in
# Debian, only recommended, so debootstrap would skip it), the locale data for en_US.UTF-8, gosu,
# nss_wrapper for --user with an uid that has no passwd entry, and the decompressors that
# /docker-entrypoint-initdb.d files may need.
extra_packages() {
  local major=$1
  printf '%s\n' "postgresql-${major}-jit" locales gosu libnss-wrapper xz-utils zstd
}

# A suite may lack some extras (15 has JIT inside the server package): debootstrap names the
# debs it cannot find before it downloads anything, so those are dropped and said once.
bootstrap_debian() {
  local suite=$1 root=$2 major=$3 arch=$4 log missing
  local -a extras foreign=()
  mapfile -t extras < <(extra_packages "$major")
  [[ $arch == "$(dpkg --print-architecture)" ]] || foreign=(--arch="$arch" --foreign)
  log=$(mktemp)
  while true; do
    if debootstrap --variant=minbase "${foreign[@]}" \
      --include="$(IFS=,; echo "postgresql-${major},${extras[*]}")" \
      "$suite" "$root" 2>&1 | tee "$log" >&2; then
      break
    fi
    missing=$(sed -n 's/.*Couldn.t find these debs: *//p' "$log")
    [[ -n $missing ]] || die "debootstrap of ${suite} failed; see the lines above"
    local -a kept=() package
    for package in "${extras[@]}"; do
      [[ " $missing " == *" $package "* ]] || kept+=("$package")
    done
    ((${#kept[@]} < ${#extras[@]})) || die "debootstrap of ${suite} cannot find ${missing}"
    echo "bootstrap-rootfs: ${suite} has no ${missing}; going on without it" >&2
    extras=("${kept[@]}")
    rm -rf "${root:?}"/*
  done
  rm -f "$log"
  if ((${#foreign[@]} > 0)); then
    echo "bootstrap-rootfs: second stage for ${arch} under emulation (about 15 minutes)" >&2
    chroot "$root" /debootstrap/debootstrap --second-stage >&2 || die "the second stage for ${arch} failed; is qemu-user-static installed and binfmt_misc mounted?"
  fi
}

# The official image's LANG en_US.utf8, generated as its Dockerfile does (sid's locales no
# longer ships the alias file).
generate_locale() {
  local root=$1 alias=/usr/share/locale/locale.alias
  local -a options=(-i en_US -c -f UTF-8)
  [[ ! -f $root$alias ]] || options+=(-A "$alias")
  chroot "$root" localedef "${options[@]}" en_US.UTF-8
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
  # Up to 17 the VOLUME is PGDATA itself: 1777 as in the official image, so a --user of any uid
  # can create PGDATA under it (the entrypoint makes it 0700 when it owns it).
  if ((major < 18)); then
    install -d -o 999 -g 999 -m 1777 "${root}/var/lib/postgresql/data"
  fi
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
  [[ $# -eq 2 || $# -eq 3 ]] || die "usage: bootstrap-rootfs.sh PG_MAJOR OUTPUT_DIR [ARCH]"
  [[ $EUID -eq 0 ]] || die "debootstrap needs root; run as root or pass --base-image"
  command -v debootstrap >/dev/null || die "debootstrap is not installed; apt-get install debootstrap"
  local major=$1 out=$2 arch=${3:-$(dpkg --print-architecture)} suite
  local root
  suite=$(suite_for_major "$major")
  mkdir -p "$out"
  root=$(mktemp -d "${out}/rootfs.XXXXXX")
  # shellcheck disable=SC2064 # expand now: root is local to main
  trap "rm -rf '$root'" EXIT
  bootstrap_debian "$suite" "$root" "$major" "$arch"
  generate_locale "$root"
  match_official_layout "$root" "$major"
  empty_caches "$root"
  package_version "$root" "$major" >"${out}/pg-version"
  tar -C "$root" --numeric-owner -cf "${out}/rootfs.tar" .
  echo "bootstrap-rootfs: PostgreSQL $(cat "${out}/pg-version") on Debian ${suite} ${arch} in ${out}/rootfs.tar" >&2
}

main "$@"
