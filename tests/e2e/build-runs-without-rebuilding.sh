#!/usr/bin/env bash
# End to end: ./build.sh builds the build program once, runs it directly while build/ and src/
# are unchanged, and builds again after any change, which the next run then shows.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# A copy of the committed tree, so the checkout's own build output and stamp play no part.
git clone -q "$ROOT" "$WORK/repo"
# A dotnet that notes each call before doing it, so the test sees whether build.sh built.
mkdir "$WORK/shim"
REAL_DOTNET=$(command -v dotnet)
# shellcheck disable=SC2016 # $1 and $@ belong to the shim, not to this script
printf '#!/usr/bin/env bash\necho "$1" >>"%s"\nexec "%s" "$@"\n' "$WORK/calls" "$REAL_DOTNET" >"$WORK/shim/dotnet"
chmod +x "$WORK/shim/dotnet"
export PATH="$WORK/shim:$PATH"
cd "$WORK/repo"

run() {
  : >"$WORK/calls"
  ./build.sh --help >"$WORK/help"
}
built() { grep -qx build "$WORK/calls"; }

run
built || fail "the first run did not build the build program"
run
built && fail "the second run built again although nothing changed"
grep -q 'AssertReplication' "$WORK/help" || fail "the second run did not print the targets"

# Any source change (here a target's description) is built and shows in the next run.
sed -i 's/Builds the image, starts a primary and standbys, seeds, asserts replication, cleans up/Changed description for the stamp test/' build/Build.Cluster.cs
grep -q 'Changed description for the stamp test' build/Build.Cluster.cs || fail "the test could not change build/Build.Cluster.cs"
run
built || fail "a changed build/Build.Cluster.cs was not built"
grep -q 'Changed description for the stamp test' "$WORK/help" || fail "the run after the change does not show it"
run
built && fail "the run after the rebuild built again"
echo "PASS"
