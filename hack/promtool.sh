#!/usr/bin/env bash
# Builds Prometheus's promtool from the pinned tools module
# (generator/monitoring/tools) once per version and prints the binary's
# path. Like hack/e2e-tools.sh it lives under the user's cache, keyed by the
# pinned version and a hash of the module's files and the Go toolchain, so
# only the first run pays the cold build (about 7 minutes on 2 cores).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/generator/monitoring/tools"
GO=${GO:-go}

version=$($GO list -m -f '{{.Version}}' github.com/prometheus/prometheus)
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
sum=$({ $GO env GOVERSION GOOS GOARCH; cat go.mod go.sum; } | sha256 | cut -c1-12)
cache=${LOWLAT_E2E_CACHE:-$(dirname "$($GO env GOCACHE)")/lowlat/e2e}
dir=$cache/promtool-$version-$sum

if [ -x "$dir/promtool" ]; then
	echo "$dir/promtool"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "promtool: building promtool $version (about 7 minutes on 2 cores the first time)" >&2
start=$(date +%s)
# promtool --version reports the module version it was built from.
$GO build -trimpath -o "$tmp/promtool" \
	-ldflags "-X github.com/prometheus/common/version.Version=$version" \
	github.com/prometheus/prometheus/cmd/promtool
# A finished build appears in one rename; a concurrent build that lost the
# race leaves its copy to the trap.
[ -e "$dir" ] || mv "$tmp" "$dir"
echo "promtool: built in $(($(date +%s) - start)) s into $dir" >&2
echo "$dir/promtool"
