#!/usr/bin/env bash
# End to end: ./build.sh Publish pushes the tested image to a real registry on 127.0.0.1
# (Debian's docker-registry with htpasswd), every tag of the scheme lands on one digest, and a
# wrong password fails with a clear message and pushes nothing. One platform (a plain image per
# tag): the index of amd64 and arm64 is MultiPlatformPublishTests' subject, which needs qemu and
# the arm64 base that .ci/run builds meanwhile.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_VERSION=${PG_VERSION:-18}
WORK=$(mktemp -d)
REGISTRY_PID=
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REGISTRY="127.0.0.1:$PORT"
USER_NAME=ci
PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

cleanup() {
  [[ -n $REGISTRY_PID ]] && kill "$REGISTRY_PID" 2>/dev/null
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$REGISTRY/" | xargs -r docker rmi >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

start_registry() {
  htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$WORK/htpasswd"
  cat >"$WORK/config.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/data
http:
  addr: $REGISTRY
auth:
  htpasswd:
    realm: ci
    path: $WORK/htpasswd
YAML
  docker-registry serve "$WORK/config.yml" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  local deadline=$((SECONDS + 30))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/") == 401 ]]; do
    ((SECONDS < deadline)) || fail "the registry did not answer on $REGISTRY"
    sleep 0.1
  done
}

tags_of() {
  local body
  body=$(curl -sf -u "$USER_NAME:$PASSWORD" "http://$REGISTRY/v2/$1/tags/list") || body='{}'
  python3 -c 'import json, sys; print(" ".join(sorted(json.load(sys.stdin).get("tags") or [])))' <<<"$body"
}

digest_of() {
  curl -sfI -u "$USER_NAME:$PASSWORD" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY/v2/$1/manifests/$2" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}

main() {
  start_registry
  cd "$ROOT"

  echo "--- Publish with the right password"
  REGISTRY_PASSWORD=$PASSWORD ./build.sh Publish --pg-version "$PG_VERSION" --no-pull --platforms linux/amd64 \
    --registry "$REGISTRY" --repository ci/postgres-replication --registry-username "$USER_NAME" | tee "$WORK/publish.log"
  grep -q "$PASSWORD" "$WORK/publish.log" && fail "the password appeared in the output"
  local tags expected_major version full
  tags=$(tags_of ci/postgres-replication)
  echo "registry tags: $tags"
  version=$(grep -oE 'release [0-9]+\.[0-9]+\.[0-9]+[^ ]*' "$WORK/publish.log" | head -n1 | cut -d' ' -f2)
  full=$(docker run --rm --entrypoint sh "postgres-replication:$PG_VERSION" -c 'echo "$PG_VERSION"' | grep -oE '^[0-9]+\.[0-9]+')
  if [[ $version == *-* ]]; then
    expected_major="$PG_VERSION-$version $full-$version"
  else
    expected_major="$PG_VERSION $PG_VERSION-$version $full-$version"
    [[ $PG_VERSION == 18 ]] && expected_major+=" latest"
  fi
  local expected
  expected=$(tr ' ' '\n' <<<"$expected_major" | sort | tr '\n' ' ' | sed 's/ $//')
  [[ $tags == "$expected" ]] || fail "expected tags '$expected', the registry has '$tags'"
  local tag digests
  digests=$(for tag in $tags; do digest_of ci/postgres-replication "$tag"; done | sort -u)
  [[ $(wc -l <<<"$digests") == 1 && -n $digests ]] || fail "the tags point at different digests: $digests"
  echo "all $(wc -w <<<"$tags") tags on $digests"

  echo "--- Publish with a wrong password"
  if REGISTRY_PASSWORD=wrong-password ./build.sh Publish --skip --pg-version "$PG_VERSION" --platforms linux/amd64 \
    --registry "$REGISTRY" --repository ci/refused --registry-username "$USER_NAME" >"$WORK/refused.log" 2>&1; then
    cat "$WORK/refused.log"
    fail "Publish succeeded with a wrong password"
  fi
  grep -q "refused the credentials" "$WORK/refused.log" || { cat "$WORK/refused.log"; fail "no clear message about the refused credentials"; }
  grep -q "wrong-password" "$WORK/refused.log" && fail "the password appeared in the output"
  [[ -z $(tags_of ci/refused) ]] || fail "a refused publish pushed tags: $(tags_of ci/refused)"
  grep -E "refused the credentials" "$WORK/refused.log" | head -n1
  echo "PASS"
}

main "$@"
