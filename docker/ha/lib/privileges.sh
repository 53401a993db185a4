# shellcheck shell=bash
# Servers never run as root: as root the entrypoint drops to the role's user; started as that
# user already (Kubernetes runAsUser), it runs the command as it is.

# as_user USER COMMAND...: COMMAND as USER (setpriv is in every Debian base).
# exec_as_user USER COMMAND...: the same, replacing the calling shell; started with &, the job's $!
# is then the command itself, so a signal sent to $! reaches it (a function run with & is a subshell
# that would take the signal and die, leaving the command running).
exec_as_user() {
  local user=$1
  shift
  if ((EUID == 0)); then
    exec setpriv --reuid="$user" --regid="$user" --init-groups "$@"
  fi
  exec "$@"
}

as_user() {
  local user=$1
  shift
  if ((EUID == 0)); then
    setpriv --reuid="$user" --regid="$user" --init-groups "$@"
  else
    "$@"
  fi
}

# own_directory DIRECTORY USER: DIRECTORY exists and belongs to USER. A directory of another owner
# is taken over only while it is empty: files someone else wrote are never changed.
own_directory() {
  local directory=$1 user=$2 owner
  if [[ ! -d $directory ]]; then
    if ((EUID == 0)); then install -d -o "$user" -g "$user" -m 0700 "$directory"; else install -d -m 0700 "$directory"; fi
    return 0
  fi
  ((EUID == 0)) || return 0
  owner=$(stat -c %U "$directory")
  [[ $owner != "$user" ]] || return 0
  [[ -z $(find "$directory" -mindepth 1 -maxdepth 1 -print -quit) ]] \
    || die "$directory belongs to $owner and holds files; give it to $user (chown -R $user) or mount an empty volume there"
  chown "$user:$user" "$directory"
  chmod 0700 "$directory"
}
