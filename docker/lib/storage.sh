# shellcheck shell=bash
# Where a new cluster's files land on the volume's file system.

# ext4 allocates a new directory's files in or near its parent's block group. Docker creates
# every volume under one directory, and on a long-lived host the groups around it fill up, so
# the thousand-odd files of a new cluster are allocated slowly there (docs/performance.md: a new
# cluster copied in 0.30-0.34 s there, 0.07-0.16 s with the flag). The "top of directory
# hierarchy" flag (chattr +T) makes ext4 spread the subdirectories of the empty PGDATA that
# initdb or pg_basebackup is about to fill over free groups, as it does for directories under /.
# Only where new files go changes; other file systems refuse the flag, and that is fine. Perl,
# because chattr is not in every Debian base and perl-base is. The directories are PGDATA unless
# given (one process for all of them).
spread_new_cluster_over_file_system() {
  # shellcheck disable=SC2016 # Perl code, not shell
  perl -MFcntl -e '
    use constant { FS_IOC_GETFLAGS => 0x80086601, FS_IOC_SETFLAGS => 0x40086602, EXT4_TOPDIR_FL => 0x00020000 };
    for my $path (@ARGV) {
      sysopen(my $dir, $path, O_RDONLY) or exit 1;
      my $flags = pack("L!", 0);
      ioctl($dir, FS_IOC_GETFLAGS, $flags) or exit 1;
      ioctl($dir, FS_IOC_SETFLAGS, pack("L!", unpack("L", $flags) | EXT4_TOPDIR_FL)) or exit 1;
    }
  ' "${@:-$PGDATA}" 2>/dev/null || true
}
