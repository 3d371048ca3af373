#!/usr/bin/env bash
# Installs the pinned deployment tools the deploy tests run (helm, promtool) into .cache/tools, once: a tool whose
# version stamp matches is left alone, so only a fresh machine pays for the build. Prints the tools directory.
# helm is built from source with `go install` (the Go module proxy is the only place it can come from here);
# promtool is taken out of Debian's prometheus package without installing the package, so no Prometheus service is
# set up on the machine.
set -euo pipefail

HELM_VERSION=v3.22.1
# The Kubernetes release helm v3.22.1's client-go (v0.37) targets. helm's release build stamps it as the version
# `helm template` and `helm lint` assume without --kube-version; a plain go install would assume 1.20.
HELM_KUBE_MINOR=37
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1

root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${DEPLOY_TOOLS_DIR:-$root/.cache/tools}"
mkdir -p "$tools"

stamped () { [ -x "$tools/$1" ] && [ "$(cat "$tools/$1.version" 2>/dev/null)" = "$2" ]; }

helm_build="$HELM_VERSION kube-1.$HELM_KUBE_MINOR"
if ! stamped helm "$helm_build"; then
  echo "deploy-tools: building helm $HELM_VERSION with go install" >&2
  build="$(mktemp -d)"
  # The same stamps as helm's release build (its Makefile): without them `helm version` names no release.
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for package in pkg/chartutil pkg/lint/rules; do
    ldflags+=" -X helm.sh/helm/v3/$package.k8sVersionMajor=1 -X helm.sh/helm/v3/$package.k8sVersionMinor=$HELM_KUBE_MINOR"
  done
  GOBIN="$build" CGO_ENABLED=0 go install -ldflags "$ldflags" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  mv "$build/helm" "$tools/helm"
  rmdir "$build"
  echo "$helm_build" > "$tools/helm.version"
fi

if ! stamped promtool "$PROMETHEUS_DEB_VERSION"; then
  echo "deploy-tools: extracting promtool from Debian's prometheus $PROMETHEUS_DEB_VERSION" >&2
  # A fresh machine may have no package lists yet.
  apt-cache show "prometheus=$PROMETHEUS_DEB_VERSION" > /dev/null 2>&1 || apt-get update -qq >&2
  work="$(mktemp -d)"
  # As root, apt would hand the download to its _apt user, who cannot write to this private directory.
  (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "prometheus=$PROMETHEUS_DEB_VERSION" >&2)
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mv "$work/root/usr/bin/promtool" "$tools/promtool"
  rm -rf "$work"
  echo "$PROMETHEUS_DEB_VERSION" > "$tools/promtool.version"
fi

echo "$tools"
