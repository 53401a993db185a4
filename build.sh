#!/usr/bin/env bash
# Bootstraps the build like NUKE's build.sh: uses dotnet from PATH when it satisfies
# global.json, else installs that SDK under .nuke/temp; then builds and runs build/_build.csproj.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_PROJECT_FILE="$SCRIPT_DIR/build/_build.csproj"
TEMP_DIRECTORY="$SCRIPT_DIR/.nuke/temp"
DOTNET_GLOBAL_FILE="$SCRIPT_DIR/global.json"
DOTNET_INSTALL_URL="https://dot.net/v1/dotnet-install.sh"
BUILD_PROGRAM="$SCRIPT_DIR/build/bin/Debug/net10.0/_build.dll"
BUILD_STAMP="$TEMP_DIRECTORY/build.stamp"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en

required_sdk_version() {
  sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$DOTNET_GLOBAL_FILE" | head -n 1
}

# global.json rolls forward to the latest feature band of the same major.minor.
path_dotnet_satisfies() {
  local required=$1 sdk
  command -v dotnet >/dev/null || return 1
  while read -r sdk _; do
    [[ ${sdk%.*} == "${required%.*}" || ${sdk%%.*} -gt ${required%%.*} ]] && return 0
  done < <(dotnet --list-sdks 2>/dev/null)
  return 1
}

install_sdk() {
  local version=$1 install_dir="$TEMP_DIRECTORY/dotnet-unix"
  if [[ ! -x "$install_dir/dotnet" ]]; then
    echo "build.sh: installing .NET SDK $version into $install_dir" >&2
    mkdir -p "$TEMP_DIRECTORY"
    curl -sSfL "$DOTNET_INSTALL_URL" -o "$TEMP_DIRECTORY/dotnet-install.sh"
    bash "$TEMP_DIRECTORY/dotnet-install.sh" --install-dir "$install_dir" --version "$version" --no-path
  fi
  export DOTNET_ROOT=$install_dir
  export PATH="$install_dir:$PATH"
}

# What the build program is made from: every file of build/ and src/ (but their outputs), the
# props, global.json and the dotnet that builds it, by content. Hashing them takes a few
# milliseconds; asking MSBuild whether anything changed takes seconds.
source_stamp() {
  {
    command -v dotnet
    (cd "$SCRIPT_DIR" && find build src Directory.Build.props Directory.Packages.props global.json \
      -type d \( -name bin -o -name obj \) -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -d' ' -f1
}

# Builds only when the sources changed since the last build, then runs the program itself:
# `dotnet run` would evaluate the project again before every run.
main() {
  local version stamp
  version=$(required_sdk_version)
  path_dotnet_satisfies "$version" || install_sdk "$version"
  stamp=$(source_stamp)
  if [[ ! -f $BUILD_PROGRAM || ! -f $BUILD_STAMP || $(<"$BUILD_STAMP") != "$stamp" ]]; then
    rm -f "$BUILD_STAMP"
    dotnet build "$BUILD_PROJECT_FILE" -nologo -clp:NoSummary --verbosity quiet
    mkdir -p "$TEMP_DIRECTORY"
    echo "$stamp" >"$BUILD_STAMP"
  fi
  exec dotnet "$BUILD_PROGRAM" "$@"
}

main "$@"
