#!/usr/bin/env bash
# Bootstraps the build like NUKE's build.sh: uses dotnet from PATH when it satisfies
# global.json, else installs that SDK under .nuke/temp; then builds and runs build/_build.csproj.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_PROJECT_FILE="$SCRIPT_DIR/build/_build.csproj"
TEMP_DIRECTORY="$SCRIPT_DIR/.nuke/temp"
DOTNET_GLOBAL_FILE="$SCRIPT_DIR/global.json"
DOTNET_INSTALL_URL="https://dot.net/v1/dotnet-install.sh"

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

main() {
  local version
  version=$(required_sdk_version)
  path_dotnet_satisfies "$version" || install_sdk "$version"
  dotnet build "$BUILD_PROJECT_FILE" -nologo -clp:NoSummary --verbosity quiet
  dotnet run --project "$BUILD_PROJECT_FILE" --no-build --no-launch-profile -- "$@"
}

main "$@"
