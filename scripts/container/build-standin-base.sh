#!/usr/bin/env bash
# Assembles a local stand-in for the official Node.js image named by the Dockerfile's FROM line, from this
# machine's own node and npm, and imports it into podman under that exact name. No registry can be reached
# here, so `podman build --pull=never` needs the base to exist locally under the name the FROM resolves to.
#
# Usage: build-standin-base.sh IMAGE_NAME BUSYBOX_BINARY
#   IMAGE_NAME      fully qualified, e.g. docker.io/library/node:24.22.3-trixie-slim
#   BUSYBOX_BINARY  a static busybox (Debian's busybox-static), for the cp/mkdir/id ... that RUN steps use
#
# What the stand-in shares with the real image: Debian's merged-/usr layout, node in /usr/local/bin, npm in
# /usr/local/lib/node_modules/npm with npm/npx links, /bin/sh, /usr/bin/env, a `node` user and group with id 1000
# and home /home/node, /tmp with mode 1777, CMD ["node"].
# What it adds for this machine only: the host's CA bundle and NODE_EXTRA_CA_CERTS, because the registry is reached
# through a TLS-intercepting proxy here (without it `npm ci` fails with SELF_SIGNED_CERT_IN_CHAIN).
# What it lacks: apt, bash, python and compilers, so `RUN apt-get` and node-gyp builds cannot work in it.
set -euo pipefail

readonly STANDIN_LABEL='io.bedrock-geofence.standin=true'
readonly NODE_UID=1000
readonly CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
# The coreutils a Dockerfile's RUN steps commonly call; the real slim image has them from coreutils.
readonly BUSYBOX_APPLETS=(cat chmod chown cp id ln ls mkdir mv rm rmdir sleep touch true false)

image_name=${1:?image name, e.g. docker.io/library/node:24.22.3-trixie-slim}
busybox_binary=${2:?path to a static busybox binary}

node_binary=$(readlink -f "$(command -v node)")
npm_package=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
node_version=$(node -p 'process.versions.node')

rootfs=$(mktemp -d /tmp/geofence-standin.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

# Debian bookworm's merged /usr: /bin, /lib, /lib64 and /sbin are links into /usr.
mkdir -p "$rootfs"/usr/{bin,sbin,lib,lib64,local/bin,local/lib/node_modules} "$rootfs"/{etc,root,tmp,home/node,proc,sys,dev,run}
for top in bin sbin lib lib64; do ln -s "usr/$top" "$rootfs/$top"; done
chmod 1777 "$rootfs/tmp"
chmod 700 "$rootfs/root"

copy_with_libraries() {
  local binary=$1 destination=$2
  cp -L "$binary" "$rootfs$destination"
  # ldd prints "name => /path (addr)" for libraries and "/path (addr)" for the loader.
  ldd "$binary" | grep -oE '/[^ ]+' | while read -r library; do
    local target="$rootfs/usr${library#/usr}"
    mkdir -p "$(dirname "$target")"
    [ -e "$target" ] || cp -L "$library" "$target"
  done
}

copy_with_libraries "$node_binary" /usr/local/bin/node
copy_with_libraries "$(readlink -f /bin/dash)" /usr/bin/dash
copy_with_libraries "$(readlink -f /usr/bin/env)" /usr/bin/env
ln -s dash "$rootfs/usr/bin/sh"

cp -a "$npm_package" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

cp "$busybox_binary" "$rootfs/usr/bin/busybox"
for applet in "${BUSYBOX_APPLETS[@]}"; do
  [ -e "$rootfs/usr/bin/$applet" ] || ln -s busybox "$rootfs/usr/bin/$applet"
done

cat >"$rootfs/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
node:x:$NODE_UID:$NODE_UID::/home/node:/bin/sh
EOF
cat >"$rootfs/etc/group" <<EOF
root:x:0:
node:x:$NODE_UID:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
chown "$NODE_UID:$NODE_UID" "$rootfs/home/node"

mkdir -p "$rootfs$(dirname "$CA_BUNDLE")"
cp -L "$CA_BUNDLE" "$rootfs$CA_BUNDLE"

tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$node_version" \
  --change "ENV NODE_EXTRA_CA_CERTS=$CA_BUNDLE" \
  --change "LABEL $STANDIN_LABEL" \
  --change 'CMD ["node"]' \
  - "$image_name" >/dev/null
echo "stand-in base $image_name imported (node $node_version from $node_binary)"
