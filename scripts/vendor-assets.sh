#!/usr/bin/env bash
# Re-vendors the front-end libraries from the npm registry and records their
# versions and SHA-256 sums in assets/vendor/VERSIONS. Run: make assets
set -euo pipefail
HTMX_VERSION=2.0.11
SSE_VERSION=2.2.4
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/assets/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "htmx.org@$HTMX_VERSION" "htmx-ext-sse@$SSE_VERSION" >/dev/null
tar xzf "htmx.org-$HTMX_VERSION.tgz" && mv package htmx
tar xzf "htmx-ext-sse-$SSE_VERSION.tgz" && mv package sse
cp htmx/dist/htmx.min.js "$out/htmx.min.js"
cp sse/dist/sse.min.js "$out/htmx-ext-sse.min.js"
cp htmx/LICENSE "$out/htmx.LICENSE"
cp sse/LICENSE "$out/htmx-ext-sse.LICENSE"
{
  echo "# Vendored front-end files: npm package, version, file, sha256. Re-create with: make assets"
  echo "htmx.org $HTMX_VERSION htmx.min.js $(sha256sum "$out/htmx.min.js" | cut -d' ' -f1)"
  echo "htmx-ext-sse $SSE_VERSION htmx-ext-sse.min.js $(sha256sum "$out/htmx-ext-sse.min.js" | cut -d' ' -f1)"
} > "$out/VERSIONS"
cat "$out/VERSIONS"
