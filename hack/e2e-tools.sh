#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the pinned tools module
# (generator/e2e/tools) once per version and prints the directory that holds
# them. The binaries live under the user's cache next to Go's build cache,
# keyed by the pinned versions and a hash of the module's files and the Go
# toolchain, so only the first run pays the ~10 minute cold build. The hash
# covers cmd/*/main.go, so adding a command (kubectl came after the first
# two) names a new directory instead of reusing one without it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/generator/e2e/tools"
GO=${GO:-go}

kube=$($GO list -m -f '{{.Version}}' k8s.io/kubernetes)
etcd=$($GO list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
sum=$({ $GO env GOVERSION GOOS GOARCH; cat go.mod go.sum cmd/*/main.go; } | sha256 | cut -c1-12)
cache=${LOWLAT_E2E_CACHE:-$(dirname "$($GO env GOCACHE)")/lowlat/e2e}
dir=$cache/kube-$kube-etcd-$etcd-$sum

if [ -x "$dir/kube-apiserver" ] && [ -x "$dir/kubectl" ] && [ -x "$dir/etcd" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "e2e-tools: building kube-apiserver and kubectl $kube and etcd $etcd (about 12 minutes on 2 cores the first time)" >&2
start=$(date +%s)
# The version stamp is what the server reports on /version; kubectl reports
# client-go's as its own.
minor=${kube#v1.}
minor=${minor%%.*}
$GO build -trimpath -o "$tmp/" -ldflags "\
 -X k8s.io/component-base/version.gitVersion=$kube \
 -X k8s.io/component-base/version.gitMajor=1 \
 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/client-go/pkg/version.gitVersion=$kube \
 -X k8s.io/client-go/pkg/version.gitMajor=1 \
 -X k8s.io/client-go/pkg/version.gitMinor=$minor" \
	./cmd/kube-apiserver ./cmd/kubectl ./cmd/etcd
# A finished build appears in one rename; a concurrent build that lost the
# race leaves its copy to the trap.
[ -e "$dir" ] || mv "$tmp" "$dir"
echo "e2e-tools: built in $(($(date +%s) - start)) s into $dir" >&2
echo "$dir"
